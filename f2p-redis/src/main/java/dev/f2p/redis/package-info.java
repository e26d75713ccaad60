/** Optional: rate limits, lockouts and incident state shared across instances through Redis. */
@NullMarked
package dev.f2p.redis;

import org.jspecify.annotations.NullMarked;

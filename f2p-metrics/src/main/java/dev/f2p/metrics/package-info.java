/** Optional Micrometer metrics for security events and the resource guard. */
@NullMarked
package dev.f2p.metrics;

import org.jspecify.annotations.NullMarked;

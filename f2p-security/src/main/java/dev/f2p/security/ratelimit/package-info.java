/**
 * Token-bucket rate limits on Bucket4j: limits written as {@code 10/minute} or {@code 100/hour;1000/day},
 * per role, per principal and per client address, over a pluggable {@link
 * dev.f2p.security.ratelimit.BucketStore} (in memory and bounded here; shared through Redis in
 * {@code f2p-redis}).
 */
@NullMarked
package dev.f2p.security.ratelimit;

import org.jspecify.annotations.NullMarked;

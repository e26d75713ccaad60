/** Benchmarks of the Redis-shared rate limiter against the local one. */
@NullMarked
package dev.f2p.benchmarks.redis;

import org.jspecify.annotations.NullMarked;

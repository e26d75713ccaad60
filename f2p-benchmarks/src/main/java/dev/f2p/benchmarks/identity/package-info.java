/** Benchmarks of authentication, authorization and rate limiting per request. */
@NullMarked
package dev.f2p.benchmarks.identity;

import org.jspecify.annotations.NullMarked;

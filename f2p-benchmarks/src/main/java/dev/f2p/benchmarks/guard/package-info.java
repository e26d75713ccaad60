/** Resource guard benchmarks. */
@NullMarked
package dev.f2p.benchmarks.guard;

import org.jspecify.annotations.NullMarked;

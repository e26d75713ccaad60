/** JMH benchmarks of the PDQ hasher and hash-list search. */
@NullMarked
package dev.f2p.benchmarks.pdq;

import org.jspecify.annotations.NullMarked;

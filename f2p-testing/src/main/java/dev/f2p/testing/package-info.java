/**
 * Shared test fixtures for F2P Guard's modules and for hosts that test their own providers: a settable clock,
 * test keys with a client builder around them, synthetic images, a throwaway Redis server, polling without
 * sleeps, and the {@link dev.f2p.testing.LeakCheck} JUnit 5 extension that fails a test which leaves a lease,
 * a thread, a native array or an unexpected ERROR log behind. For test scope only.
 */
@NullMarked
package dev.f2p.testing;

import org.jspecify.annotations.NullMarked;

/**
 * F2P Guard's public API: build one {@link dev.f2p.core.ImageEditClient}, send it
 * {@link dev.f2p.core.EditRequest}s, read {@link dev.f2p.core.EditResult}s, observe
 * {@link dev.f2p.core.SecurityEvent}s. Everything here is null-marked: no method takes or returns
 * {@code null} unless it says so.
 */
@NullMarked
package dev.f2p.core;

import org.jspecify.annotations.NullMarked;

/** Transports, endpoint state and answer checks of the remote engine; not an API. */
@NullMarked
package dev.f2p.engine.remote.internal;

import org.jspecify.annotations.NullMarked;

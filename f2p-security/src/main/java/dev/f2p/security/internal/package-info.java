/** Helpers shared by the default policies; not an API, may change at any time. */
@NullMarked
package dev.f2p.security.internal;

import org.jspecify.annotations.NullMarked;

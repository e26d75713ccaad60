/** Helpers shared inside f2p-security; not API. */
@NullMarked
package dev.f2p.security.internal;

import org.jspecify.annotations.NullMarked;

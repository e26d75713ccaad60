/** Helpers shared by the default policies; not an API, may change at any time. */
/** Helpers shared inside f2p-security; not API. */
@NullMarked
package dev.f2p.security.internal;

import org.jspecify.annotations.NullMarked;

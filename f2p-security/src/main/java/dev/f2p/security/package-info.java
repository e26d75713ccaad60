/** F2P Guard's default policies. */
@NullMarked
package dev.f2p.security;

import org.jspecify.annotations.NullMarked;

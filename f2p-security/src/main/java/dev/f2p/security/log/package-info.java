/** The security log: one structured SLF4J line per security event on the logger {@code f2p.security}. */
@NullMarked
package dev.f2p.security.log;

import org.jspecify.annotations.NullMarked;

/** The keys command: issue, list, rotate and revoke API keys in a key file. */
@NullMarked
package dev.f2p.examples.keys;

import org.jspecify.annotations.NullMarked;

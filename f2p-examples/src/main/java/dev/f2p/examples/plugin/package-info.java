/**
 * An integrator's own policy, plugged in by name: the README's "write your own policy" tutorial shows
 * these two classes in full.
 */
@NullMarked
package dev.f2p.examples.plugin;

import org.jspecify.annotations.NullMarked;

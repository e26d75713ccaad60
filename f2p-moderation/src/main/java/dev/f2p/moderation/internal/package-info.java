/** Internals of the moderation module: the classifier's preprocessing and DJL set-up. Not an API. */
@NullMarked
package dev.f2p.moderation.internal;

import org.jspecify.annotations.NullMarked;

/**
 * Optional content moderation: {@link dev.f2p.moderation.NsfwClassifier}, the MobileNetV2 NSFW classifier
 * that nsfwjs 4.4.0 ships, converted to TorchScript and run in process on DJL;
 * {@link dev.f2p.moderation.NsfwOutputPolicy}, which refuses outputs it classifies as explicit before they are
 * labelled and released; and {@link dev.f2p.moderation.NsfwImageValidator}, the same check on inputs.
 */
@NullMarked
package dev.f2p.moderation;

import org.jspecify.annotations.NullMarked;

/** The DJL PyTorch engine over verified model bundles. */
@NullMarked
package dev.f2p.engine.djl;

import org.jspecify.annotations.NullMarked;

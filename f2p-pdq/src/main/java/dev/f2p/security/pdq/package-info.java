/**
 * Meta's PDQ perceptual hash, hash lists searched with multi-index hashing, and the decorators that put
 * both into the pipeline: {@link dev.f2p.security.pdq.PdqHashListValidator} (inputs, before the resource
 * guard) and {@link dev.f2p.security.pdq.PdqHashListOutputPolicy} (outputs).
 *
 * <p>The hasher follows the published PDQ description (luminance, two Jarosz box-filter passes, decimation
 * to 64x64, a 16x16 DCT, median threshold) and writes hashes in PDQ's own hex format, so hashes interchange
 * with other PDQ implementations and with shared hash lists.
 */
@NullMarked
package dev.f2p.security.pdq;

import org.jspecify.annotations.NullMarked;

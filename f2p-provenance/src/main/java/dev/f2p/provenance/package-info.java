/** The optional output policy: AI-generated labels (visible and XMP, GB 45438-2025), an invisible watermark, and a reader for both. */
@NullMarked
package dev.f2p.provenance;

import org.jspecify.annotations.NullMarked;

/** Optional: AI-generated labels (visible, XMP per GB 45438-2025), an invisible watermark, a reader. */
module dev.f2p.provenance {
  requires transitive dev.f2p.core;
  requires java.xml;
  requires static org.jspecify;

  exports dev.f2p.provenance;

  provides dev.f2p.core.spi.OutputPolicyProvider with dev.f2p.provenance.ProvenanceOutputPolicyProvider;
}

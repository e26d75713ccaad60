/** Optional: PDQ perceptual fingerprints and hash lists on inputs and outputs. */
module dev.f2p.pdq {
  requires transitive dev.f2p.core;
  requires static org.jspecify;

  exports dev.f2p.security.pdq;

  provides dev.f2p.core.spi.ImageValidatorProvider with dev.f2p.security.pdq.PdqImageValidatorProvider;
  provides dev.f2p.core.spi.OutputPolicyProvider with dev.f2p.security.pdq.PdqOutputPolicyProvider;
}

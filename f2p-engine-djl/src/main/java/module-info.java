/** The in-process engine: verified, signed, optionally encrypted model bundles on DJL/PyTorch. */
module dev.f2p.engine.djl {
  requires transitive dev.f2p.core;
  requires ai.djl.api;
  requires ai.djl.tokenizers;
  requires com.google.gson;
  requires java.management;
  requires static org.jspecify;

  exports dev.f2p.engine.djl;

  provides dev.f2p.core.spi.ImageEditEngineProvider with dev.f2p.engine.djl.DjlEngineProvider;
}

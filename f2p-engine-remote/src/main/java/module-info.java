/**
 * The remote engine: the model servers that run the real model, over the OpenAI images edit API and the Open
 * Inference Protocol v2 (REST and gRPC). Only {@code dev.f2p.engine.remote} is API; the transports and the
 * generated gRPC stubs (package {@code inference}) are not exported.
 */
module dev.f2p.engine.remote {
  requires transitive dev.f2p.core;
  requires java.net.http;
  requires com.google.gson;
  // gRPC and protobuf are automatic modules (their Automatic-Module-Name); the generated stubs need all four.
  requires com.google.protobuf;
  requires io.grpc;
  requires io.grpc.protobuf;
  requires io.grpc.stub;
  requires com.google.common;
  requires static org.jspecify;

  exports dev.f2p.engine.remote;

  // Full protobuf reads the generated messages' accessors reflectively (field accessor tables, toString).
  opens inference to com.google.protobuf;

  provides dev.f2p.core.spi.ImageEditEngineProvider with dev.f2p.engine.remote.RemoteEngineProvider;
}

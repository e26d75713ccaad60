package dev.f2p.benchmarks.remote;

import com.google.protobuf.ByteString;
import inference.GRPCInferenceServiceGrpc;
import inference.GrpcPredictV2.ModelInferRequest;
import inference.GrpcPredictV2.ModelInferResponse;
import inference.GrpcPredictV2.ModelMetadataRequest;
import inference.GrpcPredictV2.ModelMetadataResponse;
import inference.GrpcPredictV2.ModelReadyRequest;
import inference.GrpcPredictV2.ModelReadyResponse;
import inference.GrpcPredictV2.ServerReadyRequest;
import inference.GrpcPredictV2.ServerReadyResponse;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * {@link EditServer}'s answer over the Open Inference Protocol's gRPC service (Netty, loopback): the same PNG
 * as {@code raw_output_contents}, as Triton answers, at once, so what is measured is the client.
 */
final class GrpcEditServer extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase implements AutoCloseable {
  private final Server server;
  private final ModelInferResponse answer;

  GrpcEditServer(byte[] png) throws IOException {
    byte[] tensor = ByteBuffer.allocate(4 + png.length).order(ByteOrder.LITTLE_ENDIAN).putInt(png.length).put(png)
        .array();
    this.answer = ModelInferResponse.newBuilder().setModelName(EditServer.MODEL)
        .addOutputs(ModelInferResponse.InferOutputTensor.newBuilder().setName("image").setDatatype("BYTES")
            .addShape(1))
        .addRawOutputContents(ByteString.copyFrom(tensor)).build();
    this.server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(this).build()
        .start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getPort());
  }

  @Override
  public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> out) {
    out.onNext(ServerReadyResponse.newBuilder().setReady(true).build());
    out.onCompleted();
  }

  @Override
  public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> out) {
    out.onNext(ModelReadyResponse.newBuilder().setReady(true).build());
    out.onCompleted();
  }

  @Override
  public void modelMetadata(ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> out) {
    out.onNext(ModelMetadataResponse.newBuilder().setName(EditServer.MODEL).build());
    out.onCompleted();
  }

  @Override
  public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> out) {
    out.onNext(answer);
    out.onCompleted();
  }

  @Override
  public void close() {
    server.shutdownNow();
  }
}

package dev.f2p.engine.remote;

import com.google.protobuf.ByteString;
import dev.f2p.core.internal.InMemoryImages;
import inference.GRPCInferenceServiceGrpc;
import inference.GrpcPredictV2.InferTensorContents;
import inference.GrpcPredictV2.ModelInferRequest;
import inference.GrpcPredictV2.ModelInferResponse;
import inference.GrpcPredictV2.ModelMetadataRequest;
import inference.GrpcPredictV2.ModelMetadataResponse;
import inference.GrpcPredictV2.ModelReadyRequest;
import inference.GrpcPredictV2.ModelReadyResponse;
import inference.GrpcPredictV2.ServerReadyRequest;
import inference.GrpcPredictV2.ServerReadyResponse;
import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An Open Inference Protocol gRPC server for the tests, on the stubs generated from the shared proto: a real
 * Netty server on a loopback port, answering with a PNG of the size asked for (raw_output_contents, as Triton
 * does), faults switched at run time: {@code slow}, {@code busy} (RESOURCE_EXHAUSTED with a retry-after
 * trailer), {@code error}, {@code wrong-model}, {@code answer-model}, {@code oversized}, {@code not-image},
 * {@code reset} (the server shuts down with the call open).
 */
final class GrpcModelServer extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase implements AutoCloseable {
  final AtomicReference<String> fault = new AtomicReference<>("none");
  final AtomicInteger requests = new AtomicInteger();
  final AtomicInteger cancelled = new AtomicInteger();
  /** Edits running now, and the most ever at once: what a flood must never push past the declared capacity. */
  final AtomicInteger inFlight = new AtomicInteger();
  final AtomicInteger maxInFlight = new AtomicInteger();
  /** How long each edit takes before it answers, so that requests overlap. */
  volatile long holdMillis;
  final AtomicReference<ModelInferRequest> last = new AtomicReference<>();
  private final String model;
  private final String version;
  private final Server server;

  GrpcModelServer(String model, String version) throws IOException {
    this.model = model;
    this.version = version;
    this.server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(this)
        .maxInboundMessageSize(16 << 20).build().start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getPort());
  }

  private String served() {
    return fault.get().equals("wrong-model") ? "another_model" : model;
  }

  @Override
  public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> out) {
    out.onNext(ServerReadyResponse.newBuilder().setReady(true).build());
    out.onCompleted();
  }

  @Override
  public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> out) {
    out.onNext(ModelReadyResponse.newBuilder().setReady(request.getName().equals(served())).build());
    out.onCompleted();
  }

  @Override
  public void modelMetadata(ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> out) {
    out.onNext(ModelMetadataResponse.newBuilder().setName(served()).addVersions(version).setPlatform("f2p_test").build());
    out.onCompleted();
  }

  @Override
  public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> out) {
    maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    // An edit stops counting when its answer leaves, not when this thread gets back here: the client may have
    // its answer, and send the next request, before that.
    AtomicBoolean counted = new AtomicBoolean(true);
    Runnable done = () -> {
      if (counted.getAndSet(false)) {
        inFlight.decrementAndGet();
      }
    };
    try {
      if (holdMillis > 0) {
        ModelServer.sleep(holdMillis);
      }
      infer(request, new StreamObserver<>() {
        @Override
        public void onNext(ModelInferResponse value) {
          out.onNext(value);
        }

        @Override
        public void onError(Throwable t) {
          done.run();
          out.onError(t);
        }

        @Override
        public void onCompleted() {
          done.run();
          out.onCompleted();
        }
      });
    } finally {
      done.run();
    }
  }

  private void infer(ModelInferRequest request, StreamObserver<ModelInferResponse> out) {
    requests.incrementAndGet();
    last.set(request);
    String f = fault.get();
    switch (f) {
      case "busy" -> {
        Metadata trailers = new Metadata();
        trailers.put(Metadata.Key.of("retry-after", Metadata.ASCII_STRING_MARSHALLER), "5");
        out.onError(Status.RESOURCE_EXHAUSTED.withDescription("busy").asRuntimeException(trailers));
        return;
      }
      case "error" -> {
        out.onError(Status.INTERNAL.withDescription("boom").asRuntimeException());
        return;
      }
      case "reset" -> {
        server.shutdownNow();
        return;
      }
      case "slow" -> {
        Context context = Context.current();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < until) {
          if (context.isCancelled()) {
            cancelled.incrementAndGet();
            return;
          }
          ModelServer.sleep(10);
        }
      }
      default -> {
        // answer below
      }
    }
    int width = (int) request.getParametersOrThrow("width").getInt64Param();
    int height = (int) request.getParametersOrThrow("height").getInt64Param();
    byte[] image;
    if (f.equals("not-image")) {
      image = "GIF89a not what was asked for".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    } else {
      BufferedImage pixels = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
      int colour = Arrays.hashCode(request.getInputs(0).getContents().getBytesContents(0).toByteArray());
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          pixels.setRGB(x, y, colour ^ (y << 8));
        }
      }
      image = InMemoryImages.png(pixels);
    }
    if (f.equals("oversized")) {
      image = Arrays.copyOf(image, image.length + (4 << 20));
    }
    ByteBuffer raw = ByteBuffer.allocate(4 + image.length).order(ByteOrder.LITTLE_ENDIAN).putInt(image.length).put(image);
    out.onNext(ModelInferResponse.newBuilder().setModelName(f.equals("answer-model") ? "another_model" : model)
        .setModelVersion(version).setId(request.getId())
        .addOutputs(ModelInferResponse.InferOutputTensor.newBuilder().setName("image").setDatatype("BYTES").addShape(1)
            .setContents(InferTensorContents.getDefaultInstance()))
        .addRawOutputContents(ByteString.copyFrom(raw.array())).build());
    out.onCompleted();
  }

  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

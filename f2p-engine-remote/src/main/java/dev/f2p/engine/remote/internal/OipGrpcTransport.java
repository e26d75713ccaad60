package dev.f2p.engine.remote.internal;

import com.google.protobuf.ByteString;
import dev.f2p.engine.remote.RemoteEndpoint;
import inference.GRPCInferenceServiceGrpc;
import inference.GrpcPredictV2.InferParameter;
import inference.GrpcPredictV2.InferTensorContents;
import inference.GrpcPredictV2.ModelInferRequest;
import inference.GrpcPredictV2.ModelInferResponse;
import inference.GrpcPredictV2.ModelMetadataRequest;
import inference.GrpcPredictV2.ModelMetadataResponse;
import inference.GrpcPredictV2.ModelReadyRequest;
import inference.GrpcPredictV2.ServerReadyRequest;
import io.grpc.CallCredentials;
import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;
import org.jspecify.annotations.Nullable;

/**
 * The Open Inference Protocol v2 over gRPC ({@code inference.GRPCInferenceService}, stubs generated from the
 * shared specification at build time), with the same tensor contract as REST: inputs {@code image},
 * {@code prompt}, {@code negative_prompt} as {@code bytes_contents}; parameters {@code steps}, {@code seed},
 * {@code width}, {@code height}, {@code timeout} as {@code int64_param} and {@code guidance} as a decimal
 * {@code string_param} (the protocol's parameters have no floating-point choice); output {@code image} from
 * {@code raw_output_contents} (4-byte little-endian length first) or {@code bytes_contents}. The request's
 * time left is the call's gRPC deadline, whose expiry cancels the stream. Answers are bounded by the channel's
 * inbound message limit. One channel per endpoint.
 */
public final class OipGrpcTransport implements Transport {
  private static final Metadata.Key<String> RETRY_AFTER = Metadata.Key.of("retry-after", Metadata.ASCII_STRING_MARSHALLER);

  private final String modelName;
  private final String modelVersion;
  private final @Nullable CallCredentials credentials;
  private final ChannelCredentials channelCredentials;
  private final Duration connectTimeout;
  private final int maxAnswerBytes;
  /** One channel per endpoint, and its stub with the credentials applied: a call only adds its deadline. */
  private final Map<String, Connection> connections = new ConcurrentHashMap<>();

  private record Connection(ManagedChannel channel, GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub) {}

  public OipGrpcTransport(String modelName, Optional<String> modelVersion, Optional<String> bearerToken,
      TrustManager @Nullable [] trust, KeyManager @Nullable [] keys, Duration connectTimeout, long maxAnswerBytes) {
    this.modelName = modelName;
    this.modelVersion = modelVersion.orElse("");
    this.credentials = bearerToken.map(OipGrpcTransport::bearer).orElse(null);
    this.connectTimeout = connectTimeout;
    this.maxAnswerBytes = (int) Math.min(Integer.MAX_VALUE - 1024, maxAnswerBytes + 64 * 1024);
    if (trust == null && keys == null) {
      this.channelCredentials = TlsChannelCredentials.create();
    } else {
      TlsChannelCredentials.Builder b = TlsChannelCredentials.newBuilder();
      if (trust != null) {
        b.trustManager(trust);
      }
      if (keys != null) {
        b.keyManager(keys);
      }
      this.channelCredentials = b.build();
    }
  }

  private static CallCredentials bearer(String token) {
    return new CallCredentials() {
      @Override
      public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
        Metadata m = new Metadata();
        m.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        applier.apply(m);
      }
    };
  }

  private GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub(RemoteEndpoint endpoint, Duration timeout) {
    return connections.computeIfAbsent(endpoint.uri().toString(), k -> connect(endpoint)).stub()
        .withDeadlineAfter(Math.max(1, timeout.toNanos()), TimeUnit.NANOSECONDS);
  }

  private Connection connect(RemoteEndpoint endpoint) {
    ManagedChannel channel = NettyChannelBuilder.forAddress(endpoint.uri().getHost(), endpoint.port(),
            endpoint.isTls() ? channelCredentials : InsecureChannelCredentials.create())
        .maxInboundMessageSize(maxAnswerBytes)
        .maxInboundMetadataSize(64 * 1024)
        .withOption(io.grpc.netty.shaded.io.netty.channel.ChannelOption.CONNECT_TIMEOUT_MILLIS,
            (int) connectTimeout.toMillis())
        .build();
    GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub = GRPCInferenceServiceGrpc.newBlockingStub(channel);
    return new Connection(channel, credentials == null ? stub : stub.withCallCredentials(credentials));
  }

  @Override
  public byte[] edit(RemoteEndpoint endpoint, Call call) throws CallException {
    ModelInferRequest request = ModelInferRequest.newBuilder()
        .setModelName(modelName)
        .setModelVersion(modelVersion)
        .setId(call.requestId())
        .putParameters("steps", int64(call.steps()))
        .putParameters("guidance", InferParameter.newBuilder().setStringParam(Double.toString(call.guidance())).build())
        .putParameters("seed", int64(call.seed()))
        .putParameters("width", int64(call.width()))
        .putParameters("height", int64(call.height()))
        .putParameters("timeout", int64(Math.max(1, call.timeout().toNanos() / 1000)))
        .addInputs(input("image", ByteString.copyFrom(call.png())))
        .addInputs(input("prompt", ByteString.copyFrom(call.prompt(), StandardCharsets.UTF_8)))
        .addInputs(input("negative_prompt", ByteString.copyFrom(call.negativePrompt(), StandardCharsets.UTF_8)))
        .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("image"))
        .build();
    ModelInferResponse response;
    long start = System.nanoTime();
    try {
      response = stub(endpoint, call.timeout()).modelInfer(request);
    } catch (StatusRuntimeException e) {
      boolean pastDeadline = System.nanoTime() - start >= call.timeout().toNanos();
      throw classify(e, pastDeadline);
    }
    if (!response.getModelName().equals(modelName)
        || (!modelVersion.isEmpty() && !response.getModelVersion().isEmpty()
            && !response.getModelVersion().equals(modelVersion))) {
      throw CallException.badAnswer("inference answer comes from another model");
    }
    if (response.getOutputsCount() != 1 || !response.getOutputs(0).getName().equals("image")
        || !response.getOutputs(0).getDatatype().equals("BYTES")) {
      throw CallException.badAnswer("inference answer's output is not the one BYTES tensor image");
    }
    if (response.getRawOutputContentsCount() > 0) {
      if (response.getRawOutputContentsCount() != 1) {
        throw CallException.badAnswer("inference answer has raw contents no output accounts for");
      }
      return OipRestTransport.oneElement(response.getRawOutputContents(0).asReadOnlyByteBuffer());
    }
    InferTensorContents contents = response.getOutputs(0).getContents();
    if (contents.getBytesContentsCount() != 1) {
      throw CallException.badAnswer("inference answer's image holds no single element");
    }
    return contents.getBytesContents(0).toByteArray();
  }

  private static InferParameter int64(long v) {
    return InferParameter.newBuilder().setInt64Param(v).build();
  }

  private static ModelInferRequest.InferInputTensor input(String name, ByteString value) {
    return ModelInferRequest.InferInputTensor.newBuilder().setName(name).setDatatype("BYTES").addShape(1)
        .setContents(InferTensorContents.newBuilder().addBytesContents(value)).build();
  }

  /**
   * No connection: never started. RESOURCE_EXHAUSTED from the server: it refused for lack of room (but the
   * same code raised here for an answer over the inbound limit is a refused answer). The deadline: timeout
   * (a cancellation before it is the server dropping the call). Everything else, UNAVAILABLE once connected
   * included, may have started.
   */
  static CallException classify(StatusRuntimeException e, boolean pastDeadline) {
    Status.Code code = e.getStatus().getCode();
    for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
      if (c instanceof ConnectException) {
        return CallException.unreachable("no connection", e);
      }
    }
    String description = e.getStatus().getDescription();
    if (code == Status.Code.RESOURCE_EXHAUSTED && description != null && description.contains("exceeds maximum")) {
      return CallException.badAnswer("answer larger than the inbound limit");
    }
    return switch (code) {
      case RESOURCE_EXHAUSTED -> CallException.busy(retryAfter(e.getTrailers()), "server busy: " + code);
      case DEADLINE_EXCEEDED -> CallException.timeout("gRPC " + code, e);
      case CANCELLED -> pastDeadline ? CallException.timeout("gRPC " + code, e) : CallException.failed("gRPC " + code, e);
      default -> CallException.failed("gRPC " + code, e);
    };
  }

  private static Duration retryAfter(@Nullable Metadata trailers) {
    String v = trailers == null ? null : trailers.get(RETRY_AFTER);
    if (v == null || v.isEmpty() || v.length() > 9 || !v.chars().allMatch(Character::isDigit)) {
      return Duration.ZERO;
    }
    Duration d = Duration.ofSeconds(Long.parseLong(v));
    return d.compareTo(HttpCalls.MAX_RETRY_AFTER) > 0 ? HttpCalls.MAX_RETRY_AFTER : d;
  }

  @Override
  public Health probe(RemoteEndpoint endpoint, Duration timeout) {
    long start = System.nanoTime();
    try {
      if (!stub(endpoint, timeout).serverReady(ServerReadyRequest.getDefaultInstance()).getReady()) {
        return Health.down("server not ready");
      }
      if (!stub(endpoint, timeout).modelReady(ModelReadyRequest.newBuilder().setName(modelName)
          .setVersion(modelVersion).build()).getReady()) {
        return Health.down("model not ready");
      }
      ModelMetadataResponse m = stub(endpoint, timeout).modelMetadata(ModelMetadataRequest.newBuilder()
          .setName(modelName).setVersion(modelVersion).build());
      if (!m.getName().equals(modelName)) {
        return Health.down("the server serves another model");
      }
      if (!modelVersion.isEmpty() && !m.getVersionsList().contains(modelVersion)) {
        return Health.down("the server does not serve the configured model version");
      }
      return Health.UP;
    } catch (StatusRuntimeException e) {
      return Health.of(classify(e, System.nanoTime() - start >= timeout.toNanos()));
    }
  }

  @Override
  public void close() {
    for (Connection c : connections.values()) {
      c.channel().shutdownNow();
    }
    for (Connection c : connections.values()) {
      try {
        c.channel().awaitTermination(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}

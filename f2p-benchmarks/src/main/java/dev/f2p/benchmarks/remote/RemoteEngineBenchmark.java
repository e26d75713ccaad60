package dev.f2p.benchmarks.remote;

import com.google.gson.JsonParser;
import com.google.protobuf.ByteString;
import inference.GRPCInferenceServiceGrpc;
import inference.GrpcPredictV2.InferParameter;
import inference.GrpcPredictV2.InferTensorContents;
import inference.GrpcPredictV2.ModelInferRequest;
import inference.GrpcPredictV2.ModelInferResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import dev.f2p.core.internal.InMemoryImages;
import dev.f2p.core.spi.EngineRequest;
import dev.f2p.core.spi.ProgressListener;
import dev.f2p.engine.remote.Protocol;
import dev.f2p.engine.remote.RemoteEndpoint;
import dev.f2p.engine.remote.RemoteImageEditEngine;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The remote engine's overhead (target: at most 1.05x) over a bare HTTP call to the same server doing the
 * same work a client must do anyway, without endpoint choice, deadline, bounded reading or answer checks:
 * {@code openai} encodes the input PNG, posts the multipart form, parses the JSON, decodes base64 and the
 * PNG; {@code oip-rest} encodes the PNG, posts the three BYTES tensors in Triton's binary extension, parses
 * the answer's JSON header and decodes the PNG from its binary part; {@code oip-grpc} sends the same tensors
 * on a blocking gRPC stub and decodes the PNG from the raw output. Same clients (JDK HTTP/1.1, grpc-java),
 * loopback, a server answering at once, so the difference is ours.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 30, time = 1) // steady state: see RemoteEngineInterleaved
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RemoteEngineBenchmark {
  /** The protocol: {@code openai}, {@code oip-rest} or {@code oip-grpc}. */
  @Param({"openai", "oip-rest", "oip-grpc"})
  public String protocol = "openai";

  private EditServer server;
  private GrpcEditServer grpcServer;
  private ManagedChannel channel;
  private GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub grpc;
  private RemoteImageEditEngine engine;
  private HttpClient bare;
  private BufferedImage input;

  @Setup(Level.Trial)
  public void start() throws Exception {
    server = new EditServer(0, 0, 8);
    URI uri = server.uri();
    if (protocol.equals("oip-grpc")) {
      grpcServer = new GrpcEditServer(server.png);
      uri = grpcServer.uri();
      channel = NettyChannelBuilder.forAddress(uri.getHost(), uri.getPort()).usePlaintext().build();
      grpc = GRPCInferenceServiceGrpc.newBlockingStub(channel);
    }
    engine = RemoteImageEditEngine.builder().protocol(Protocol.fromSetting(protocol)).model(EditServer.MODEL)
        .endpoint(new RemoteEndpoint(uri, 8)).allowPlaintextLoopback(true).build();
    bare = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    input = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
  }

  @TearDown(Level.Trial)
  public void stop() {
    engine.close();
    server.close();
    if (grpcServer != null) {
      channel.shutdownNow();
      grpcServer.close();
    }
  }

  @Benchmark
  public BufferedImage engine() throws Exception {
    Clock clock = Clock.systemUTC();
    return engine.edit(new EngineRequest("bench", input, "a portrait", "", EditServer.WIDTH, EditServer.HEIGHT, 20,
        4.0, 7L, clock.instant().plus(Duration.ofSeconds(10)), clock, ProgressListener.NONE)).pixels();
  }

  @Benchmark
  public BufferedImage bareHttp() throws Exception {
    return switch (protocol) {
      case "openai" -> bareOpenAi();
      case "oip-rest" -> bareOipRest();
      default -> bareOipGrpc();
    };
  }

  private BufferedImage bareOipGrpc() throws Exception {
    ModelInferResponse r = grpc.modelInfer(ModelInferRequest.newBuilder().setModelName(EditServer.MODEL).setId("bench")
        .putParameters("steps", int64(20))
        .putParameters("guidance", InferParameter.newBuilder().setStringParam("4.0").build())
        .putParameters("seed", int64(7)).putParameters("width", int64(EditServer.WIDTH))
        .putParameters("height", int64(EditServer.HEIGHT))
        .addInputs(bytes("image", ByteString.copyFrom(InMemoryImages.png(input))))
        .addInputs(bytes("prompt", ByteString.copyFromUtf8("a portrait")))
        .addInputs(bytes("negative_prompt", ByteString.EMPTY))
        .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("image")).build());
    byte[] raw = r.getRawOutputContents(0).toByteArray();
    return ImageIO.read(new MemoryCacheImageInputStream(new ByteArrayInputStream(raw, 4, raw.length - 4)));
  }

  private static InferParameter int64(long v) {
    return InferParameter.newBuilder().setInt64Param(v).build();
  }

  private static ModelInferRequest.InferInputTensor bytes(String name, ByteString value) {
    return ModelInferRequest.InferInputTensor.newBuilder().setName(name).setDatatype("BYTES").addShape(1)
        .setContents(InferTensorContents.newBuilder().addBytesContents(value)).build();
  }

  private BufferedImage bareOipRest() throws Exception {
    byte[] png = InMemoryImages.png(input);
    byte[] prompt = "a portrait".getBytes(StandardCharsets.UTF_8);
    byte[] header = ("{\"id\":\"bench\",\"parameters\":{\"steps\":20,\"guidance\":4.0,\"seed\":7,\"width\":"
        + EditServer.WIDTH + ",\"height\":" + EditServer.HEIGHT + "},\"inputs\":[" + tensor("image", png.length) + ","
        + tensor("prompt", prompt.length) + "," + tensor("negative_prompt", 0) + "],\"outputs\":[{\"name\":\"image\","
        + "\"parameters\":{\"binary_data\":true}}]}").getBytes(StandardCharsets.UTF_8);
    ByteBuffer body = ByteBuffer.allocate(header.length + 12 + png.length + prompt.length).order(ByteOrder.LITTLE_ENDIAN)
        .put(header).putInt(png.length).put(png).putInt(prompt.length).put(prompt).putInt(0);
    HttpResponse<byte[]> r = bare.send(HttpRequest.newBuilder(server.uri().resolve("/v2/models/" + EditServer.MODEL
            + "/infer")).header("Content-Type", "application/octet-stream")
        .header("Inference-Header-Content-Length", Integer.toString(header.length))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.array())).build(), HttpResponse.BodyHandlers.ofByteArray());
    int jsonLength = Integer.parseInt(r.headers().firstValue("Inference-Header-Content-Length").orElseThrow());
    long size = JsonParser.parseString(new String(r.body(), 0, jsonLength, StandardCharsets.UTF_8)).getAsJsonObject()
        .getAsJsonArray("outputs").get(0).getAsJsonObject().getAsJsonObject("parameters").get("binary_data_size")
        .getAsLong();
    return ImageIO.read(new MemoryCacheImageInputStream(new ByteArrayInputStream(r.body(), jsonLength + 4,
        (int) size - 4)));
  }

  private static String tensor(String name, int length) {
    return "{\"name\":\"" + name + "\",\"shape\":[1],\"datatype\":\"BYTES\",\"parameters\":{\"binary_data_size\":"
        + (4 + length) + "}}";
  }

  private BufferedImage bareOpenAi() throws Exception {
    String boundary = "bench-boundary-0123456789";
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (String[] f : new String[][] {{"model", EditServer.MODEL}, {"prompt", "a portrait"},
        {"size", EditServer.WIDTH + "x" + EditServer.HEIGHT}, {"n", "1"}, {"response_format", "b64_json"},
        {"num_inference_steps", "20"}, {"guidance_scale", "4.0"}, {"seed", "7"}}) {
      body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f[0] + "\"\r\n\r\n" + f[1]
          + "\r\n").getBytes(StandardCharsets.UTF_8));
    }
    body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"i.png\"\r\n"
        + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    body.writeBytes(InMemoryImages.png(input));
    body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    HttpResponse<byte[]> r = bare.send(HttpRequest.newBuilder(server.uri().resolve("/v1/images/edits"))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofByteArray());
    String b64 = JsonParser.parseString(new String(r.body(), StandardCharsets.UTF_8)).getAsJsonObject()
        .getAsJsonArray("data").get(0).getAsJsonObject().get("b64_json").getAsString();
    // In memory, as the engine reads it (ImageIO.read of a plain stream would go through a temporary file).
    return ImageIO.read(new MemoryCacheImageInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(b64))));
  }
}

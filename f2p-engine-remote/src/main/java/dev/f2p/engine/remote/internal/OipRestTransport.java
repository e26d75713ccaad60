package dev.f2p.engine.remote.internal;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.f2p.engine.remote.RemoteEndpoint;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * The Open Inference Protocol v2 over REST, with the tensor contract of {@code docs/real-model.md}: inputs
 * {@code image} (BYTES, the PNG), {@code prompt} and {@code negative_prompt} (BYTES, UTF-8); request
 * parameters {@code steps}, {@code guidance}, {@code seed}, {@code width}, {@code height} and Triton's
 * {@code timeout} (microseconds); output {@code image} (BYTES, a PNG). Tensors travel in Triton's binary
 * extension ({@code Inference-Header-Content-Length}, each BYTES element a 4-byte little-endian length and
 * its bytes) or, without it, as plain JSON with the image in base64 ({@code "content_type": "base64"}).
 * Readiness from {@code v2/health/ready} and the model's {@code ready}; the model's name and version from its
 * metadata, both pinned.
 */
public final class OipRestTransport implements Transport {
  private static final String HEADER_LENGTH = "Inference-Header-Content-Length";
  private static final int MAX_HEADER = 1 << 20;

  private final RestSettings settings;
  private final boolean binary;

  public OipRestTransport(RestSettings settings, boolean binary) {
    this.settings = settings;
    this.binary = binary;
  }

  private String modelPath() {
    return "v2/models/" + settings.modelName() + settings.modelVersion().map(v -> "/versions/" + v).orElse("");
  }

  @Override
  public byte[] edit(RemoteEndpoint endpoint, Call call) throws CallException {
    JsonObject parameters = new JsonObject();
    parameters.addProperty("steps", call.steps());
    parameters.addProperty("guidance", call.guidance());
    parameters.addProperty("seed", call.seed());
    parameters.addProperty("width", call.width());
    parameters.addProperty("height", call.height());
    parameters.addProperty("timeout", Math.max(1, call.timeout().toNanos() / 1000));
    byte[] prompt = call.prompt().getBytes(StandardCharsets.UTF_8);
    byte[] negative = call.negativePrompt().getBytes(StandardCharsets.UTF_8);
    JsonArray inputs = new JsonArray();
    ByteArrayOutputStream tail = new ByteArrayOutputStream(call.png().length + prompt.length + negative.length + 12);
    inputs.add(input("image", call.png(), true, tail));
    inputs.add(input("prompt", prompt, false, tail));
    inputs.add(input("negative_prompt", negative, false, tail));
    JsonObject output = new JsonObject();
    output.addProperty("name", "image");
    if (binary) {
      JsonObject p = new JsonObject();
      p.addProperty("binary_data", true);
      output.add("parameters", p);
    }
    JsonArray outputs = new JsonArray();
    outputs.add(output);
    JsonObject header = new JsonObject();
    header.addProperty("id", call.requestId());
    header.add("parameters", parameters);
    header.add("inputs", inputs);
    header.add("outputs", outputs);
    byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
    HttpRequest.Builder request = settings.authorize(HttpRequest.newBuilder(
            OpenAiTransport.resolve(endpoint, modelPath() + "/infer")));
    if (binary) {
      ByteArrayOutputStream body = new ByteArrayOutputStream(json.length + tail.size());
      body.writeBytes(json);
      body.writeBytes(tail.toByteArray());
      request.header("Content-Type", "application/octet-stream")
          .header(HEADER_LENGTH, Integer.toString(json.length))
          .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
    } else {
      request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(json));
    }
    HttpCalls.Answer answer = HttpCalls.exchange(settings.client(), request.build(), call.timeout(),
        settings.maxAnswerBytes(), settings.watch());
    if (answer.status() != 200) {
      throw HttpCalls.status(answer.status(), answer.headers());
    }
    return image(answer);
  }

  private JsonObject input(String name, byte[] value, boolean isImage, ByteArrayOutputStream tail) {
    JsonObject in = new JsonObject();
    in.addProperty("name", name);
    JsonArray shape = new JsonArray();
    shape.add(1);
    in.add("shape", shape);
    in.addProperty("datatype", "BYTES");
    JsonObject p = new JsonObject();
    if (binary) {
      p.addProperty("binary_data_size", 4 + value.length);
      tail.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value.length).array());
      tail.writeBytes(value);
    } else {
      JsonArray data = new JsonArray();
      if (isImage) {
        p.addProperty("content_type", "base64");
        data.add(Base64.getEncoder().encodeToString(value));
      } else {
        p.addProperty("content_type", "str");
        data.add(new String(value, StandardCharsets.UTF_8));
      }
      in.add("data", data);
    }
    in.add("parameters", p);
    return in;
  }

  /** The one {@code image} output of an answer, from its binary part or its base64 JSON data. */
  private byte[] image(HttpCalls.Answer answer) throws CallException {
    byte[] body = answer.body();
    Optional<String> headerLength = answer.headers().firstValue(HEADER_LENGTH);
    int jsonLength = body.length;
    if (headerLength.isPresent()) {
      try {
        jsonLength = Integer.parseInt(headerLength.get().trim());
      } catch (NumberFormatException e) {
        throw CallException.badAnswer("inference answer has an invalid " + HEADER_LENGTH);
      }
      if (jsonLength < 2 || jsonLength > body.length || jsonLength > MAX_HEADER) {
        throw CallException.badAnswer("inference answer's " + HEADER_LENGTH + " is out of range");
      }
    }
    byte[] json = java.util.Arrays.copyOf(body, jsonLength);
    JsonObject header = Json.object(json, "inference answer");
    if (!Json.string(header, "model_name").orElse("").equals(settings.modelName())) {
      throw CallException.badAnswer("inference answer comes from another model");
    }
    if (settings.modelVersion().isPresent() && header.has("model_version")
        && !Json.string(header, "model_version").orElse("").equals(settings.modelVersion().get())) {
      throw CallException.badAnswer("inference answer comes from another model version");
    }
    JsonElement outputs = header.get("outputs");
    if (outputs == null || !outputs.isJsonArray() || outputs.getAsJsonArray().size() != 1
        || !outputs.getAsJsonArray().get(0).isJsonObject()) {
      throw CallException.badAnswer("inference answer does not hold exactly one output");
    }
    JsonObject out = outputs.getAsJsonArray().get(0).getAsJsonObject();
    if (!Json.string(out, "name").orElse("").equals("image") || !Json.string(out, "datatype").orElse("").equals("BYTES")) {
      throw CallException.badAnswer("inference answer's output is not the BYTES tensor image");
    }
    JsonElement params = out.get("parameters");
    if (params != null && params.isJsonObject() && params.getAsJsonObject().has("binary_data_size")) {
      long size;
      try {
        size = params.getAsJsonObject().get("binary_data_size").getAsLong();
      } catch (RuntimeException e) {
        throw CallException.badAnswer("inference answer's binary_data_size is not a number");
      }
      if (size != body.length - (long) jsonLength) {
        throw CallException.badAnswer("inference answer's binary_data_size does not match its body");
      }
      return oneElement(ByteBuffer.wrap(body, jsonLength, body.length - jsonLength).slice());
    }
    if (jsonLength != body.length) {
      throw CallException.badAnswer("inference answer has bytes no output accounts for");
    }
    JsonElement data = out.get("data");
    if (data == null || !data.isJsonArray() || data.getAsJsonArray().size() != 1
        || !data.getAsJsonArray().get(0).isJsonPrimitive()) {
      throw CallException.badAnswer("inference answer's image holds no single element");
    }
    try {
      return Base64.getDecoder().decode(data.getAsJsonArray().get(0).getAsString());
    } catch (IllegalArgumentException e) {
      throw CallException.badAnswer("inference answer's image is not base64");
    }
  }

  /** A BYTES tensor of exactly one element: a 4-byte little-endian length, then that many bytes, nothing more. */
  static byte[] oneElement(ByteBuffer raw) throws CallException {
    raw.order(ByteOrder.LITTLE_ENDIAN);
    if (raw.remaining() < 4) {
      throw CallException.badAnswer("BYTES tensor is truncated");
    }
    long length = Integer.toUnsignedLong(raw.getInt());
    if (length != raw.remaining()) {
      throw CallException.badAnswer("BYTES tensor does not hold exactly one element");
    }
    byte[] out = new byte[(int) length];
    raw.get(out);
    return out;
  }

  @Override
  public Health probe(RemoteEndpoint endpoint, Duration timeout) {
    try {
      HttpCalls.Answer ready = get(endpoint, "v2/health/ready", timeout);
      if (ready.status() != 200) {
        return Health.down("server not ready: HTTP " + ready.status());
      }
      HttpCalls.Answer modelReady = get(endpoint, modelPath() + "/ready", timeout);
      if (modelReady.status() != 200) {
        return Health.down("model not ready: HTTP " + modelReady.status());
      }
      HttpCalls.Answer metadata = get(endpoint, modelPath(), timeout);
      if (metadata.status() != 200) {
        return Health.down("model metadata: HTTP " + metadata.status());
      }
      JsonObject m = Json.object(metadata.body(), "model metadata");
      if (!Json.string(m, "name").orElse("").equals(settings.modelName())) {
        return Health.down("the server serves another model");
      }
      if (settings.modelVersion().isPresent()) {
        JsonElement versions = m.get("versions");
        boolean listed = false;
        if (versions != null && versions.isJsonArray()) {
          for (JsonElement v : versions.getAsJsonArray()) {
            listed |= v.isJsonPrimitive() && v.getAsString().equals(settings.modelVersion().get());
          }
        }
        if (!listed) {
          return Health.down("the server does not serve the configured model version");
        }
      }
      return Health.UP;
    } catch (CallException e) {
      return Health.of(e);
    }
  }

  private HttpCalls.Answer get(RemoteEndpoint endpoint, String path, Duration timeout) throws CallException {
    HttpRequest request = settings.authorize(HttpRequest.newBuilder(OpenAiTransport.resolve(endpoint, path)))
        .header("Accept", "application/json").GET().build();
    return HttpCalls.exchange(settings.probeClient(), request, timeout, 1 << 20, settings.watch());
  }

  @Override
  public void close() {
    settings.close();
  }
}

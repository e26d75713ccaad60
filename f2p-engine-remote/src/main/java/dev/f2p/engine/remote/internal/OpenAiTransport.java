package dev.f2p.engine.remote.internal;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.f2p.engine.remote.RemoteEndpoint;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Base64;

/**
 * The OpenAI images edit API as vLLM-Omni serves it: {@code POST /v1/images/edits}, multipart form data with
 * {@code model}, {@code image}, {@code prompt}, {@code size}, {@code n=1}, {@code response_format=b64_json},
 * {@code output_format=png} and vLLM-Omni's extension fields {@code num_inference_steps},
 * {@code guidance_scale}, {@code seed} and {@code negative_prompt}; readiness and the model from
 * {@code GET /v1/models}.
 */
public final class OpenAiTransport implements Transport {
  private final RestSettings settings;

  public OpenAiTransport(RestSettings settings) {
    this.settings = settings;
  }

  @Override
  public byte[] edit(RemoteEndpoint endpoint, Call call) throws CallException {
    Multipart form = new Multipart()
        .field("model", settings.modelName())
        .file("image", "image.png", "image/png", call.png())
        .field("prompt", call.prompt())
        .field("size", call.width() + "x" + call.height())
        .field("n", "1")
        .field("response_format", "b64_json")
        .field("output_format", "png")
        .field("num_inference_steps", Integer.toString(call.steps()))
        .field("guidance_scale", Double.toString(call.guidance()))
        .field("seed", Long.toString(call.seed()));
    if (!call.negativePrompt().isEmpty()) {
      form.field("negative_prompt", call.negativePrompt());
    }
    byte[] body = form.finish();
    HttpRequest request = settings.authorize(HttpRequest.newBuilder(resolve(endpoint, "v1/images/edits")))
        .header("Content-Type", form.contentType())
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
    HttpCalls.Answer answer =
        HttpCalls.exchange(settings.client(), request, call.timeout(), settings.maxAnswerBytes(), settings.watch());
    if (answer.status() != 200) {
      throw HttpCalls.status(answer.status(), answer.headers());
    }
    JsonObject json = Json.object(answer.body(), "images edit answer");
    JsonElement data = json.get("data");
    if (data == null || !data.isJsonArray() || data.getAsJsonArray().size() != 1
        || !data.getAsJsonArray().get(0).isJsonObject()) {
      throw CallException.badAnswer("images edit answer does not hold exactly one image");
    }
    String b64 = Json.string(data.getAsJsonArray().get(0).getAsJsonObject(), "b64_json")
        .orElseThrow(() -> CallException.badAnswer("images edit answer has no b64_json image"));
    try {
      return Base64.getDecoder().decode(b64);
    } catch (IllegalArgumentException e) {
      throw CallException.badAnswer("images edit answer's b64_json is not base64");
    }
  }

  @Override
  public Health probe(RemoteEndpoint endpoint, Duration timeout) {
    HttpRequest request = settings.authorize(HttpRequest.newBuilder(resolve(endpoint, "v1/models")))
        .header("Accept", "application/json").GET().build();
    try {
      HttpCalls.Answer answer =
          HttpCalls.exchange(settings.probeClient(), request, timeout, 1 << 20, settings.watch());
      if (answer.status() != 200) {
        return Health.down("models list answered HTTP " + answer.status());
      }
      JsonElement data = Json.object(answer.body(), "models list").get("data");
      if (data != null && data.isJsonArray()) {
        for (JsonElement m : (JsonArray) data) {
          if (m.isJsonObject() && Json.string(m.getAsJsonObject(), "id").orElse("").equals(settings.modelName())) {
            return Health.UP;
          }
        }
      }
      return Health.down("the server does not serve the configured model");
    } catch (CallException e) {
      return Health.of(e);
    }
  }

  static URI resolve(RemoteEndpoint endpoint, String path) {
    String base = endpoint.uri().toString();
    return URI.create(base.endsWith("/") ? base + path : base + "/" + path);
  }

  @Override
  public void close() {
    settings.close();
  }
}

package dev.f2p.engine.remote.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Reads a server's JSON (already bounded in bytes) strictly, with Gson's nesting limit; anything odd is a bad answer. */
final class Json {
  private Json() {}

  static JsonObject object(byte[] bytes, String what) throws CallException {
    try {
      JsonReader reader = new JsonReader(new StringReader(new String(bytes, StandardCharsets.UTF_8)));
      reader.setStrictness(Strictness.STRICT);
      reader.setNestingLimit(32);
      JsonElement e = com.google.gson.JsonParser.parseReader(reader);
      if (reader.peek() != com.google.gson.stream.JsonToken.END_DOCUMENT || !e.isJsonObject()) {
        throw CallException.badAnswer(what + " is not one JSON object");
      }
      return e.getAsJsonObject();
    } catch (JsonParseException | java.io.IOException | IllegalStateException e) {
      throw CallException.badAnswer(what + " is not valid JSON");
    }
  }

  /** A string member, if present and a string. */
  static Optional<String> string(JsonObject o, String name) {
    JsonElement e = o.get(name);
    return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString() ? Optional.of(e.getAsString())
        : Optional.empty();
  }
}

package dev.f2p.engine.djl.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import dev.f2p.engine.djl.BundleVerificationException;
import dev.f2p.engine.djl.BundleVerificationException.Problem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/** Bounded JSON reading with errors that carry a {@link Problem} and a path. */
final class Json {
  private Json() {}

  /** Reads a file of at most {@code maxBytes}, never through a symbolic link. */
  static byte[] readBounded(Path file, long maxBytes, Problem missing, String path)
      throws IOException, BundleVerificationException {
    try {
      if (Files.isSymbolicLink(file)) {
        throw new BundleVerificationException(Problem.SYMLINK, path, "is a symbolic link");
      }
      long size = Files.size(file);
      if (size > maxBytes) {
        throw new BundleVerificationException(Problem.TOO_LARGE, path, size + " bytes, at most " + maxBytes);
      }
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        throw new BundleVerificationException(Problem.NOT_REGULAR_FILE, path, "is not a regular file");
      }
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new BundleVerificationException(missing, path, "is missing");
    }
  }

  static JsonObject parseObject(byte[] bytes, Problem problem, String path) throws BundleVerificationException {
    try {
      JsonElement e = JsonParser.parseString(new String(bytes, StandardCharsets.UTF_8));
      if (!e.isJsonObject()) {
        throw new BundleVerificationException(problem, path, "is not a JSON object");
      }
      return e.getAsJsonObject();
    } catch (JsonParseException | IllegalStateException e) {
      throw new BundleVerificationException(problem, path, "is not valid JSON: " + e.getMessage(), e);
    }
  }

  static JsonObject object(JsonObject o, String field, Problem problem, String path)
      throws BundleVerificationException {
    JsonElement e = o.get(field);
    if (e == null || !e.isJsonObject()) {
      throw new BundleVerificationException(problem, path, "missing object '" + field + "'");
    }
    return e.getAsJsonObject();
  }

  static Optional<JsonObject> optObject(JsonObject o, String field) {
    JsonElement e = o.get(field);
    return e != null && e.isJsonObject() ? Optional.of(e.getAsJsonObject()) : Optional.empty();
  }

  static String string(JsonObject o, String field, Problem problem, String path)
      throws BundleVerificationException {
    return optString(o, field)
        .orElseThrow(() -> new BundleVerificationException(problem, path, "missing string '" + field + "'"));
  }

  static Optional<String> optString(JsonObject o, String field) {
    JsonElement e = o.get(field);
    if (e instanceof JsonPrimitive p && p.isString()) {
      return Optional.of(p.getAsString());
    }
    return Optional.empty();
  }

  static long number(JsonObject o, String field, long min, long max, Problem problem, String path)
      throws BundleVerificationException {
    JsonElement e = o.get(field);
    if (e instanceof JsonPrimitive p && p.isNumber()) {
      try {
        long v = p.getAsBigDecimal().longValueExact();
        if (v >= min && v <= max) {
          return v;
        }
      } catch (ArithmeticException ignored) {
        // reported below
      }
    }
    throw new BundleVerificationException(problem, path,
        "'" + field + "' must be an integer from " + min + " to " + max);
  }

  static double decimal(JsonObject o, String field, double defaultValue, Problem problem, String path)
      throws BundleVerificationException {
    JsonElement e = o.get(field);
    if (e == null) {
      return defaultValue;
    }
    if (e instanceof JsonPrimitive p && p.isNumber() && Double.isFinite(p.getAsDouble())) {
      return p.getAsDouble();
    }
    throw new BundleVerificationException(problem, path, "'" + field + "' must be a number");
  }

  static Optional<Boolean> optBoolean(JsonObject o, String field) {
    JsonElement e = o.get(field);
    if (e instanceof JsonPrimitive p && p.isBoolean()) {
      return Optional.of(p.getAsBoolean());
    }
    return Optional.empty();
  }
}

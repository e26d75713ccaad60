package dev.f2p.engine.djl.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.f2p.engine.djl.BundleVerificationException;
import dev.f2p.engine.djl.BundleVerificationException.Problem;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed, checked {@code bundle.json}. Immutable. The format is documented in {@code docs/model-bundle.md}.
 *
 * @param name bundle name, bound into encrypted components' AAD
 * @param version bundle version
 * @param kind the pipeline kind
 * @param inputWidth width the model takes
 * @param inputHeight height the model takes
 * @param inputRange how input pixels are normalised
 * @param outputRange how output pixels are normalised
 * @param promptEncoding how prompts become token ids
 * @param maxTokens token ids per prompt (padded with 0, truncated)
 * @param shift flow-matching scheduler shift (flow matching only)
 * @param latentChannels latent channels (flow matching only)
 * @param latentScale pixels per latent cell (flow matching only)
 * @param components components by name
 */
public record Manifest(
    String name,
    String version,
    Kind kind,
    int inputWidth,
    int inputHeight,
    Range inputRange,
    Range outputRange,
    PromptEncoding promptEncoding,
    int maxTokens,
    double shift,
    int latentChannels,
    int latentScale,
    Map<String, Component> components) {

  public static final String FILE_NAME = "bundle.json";
  public static final String FORMAT = "f2p-bundle/1";
  static final long MAX_MANIFEST_BYTES = 1 << 20;
  /** Largest component: a byte array holds at most this much, and components are loaded from memory. */
  public static final long MAX_COMPONENT_BYTES = Integer.MAX_VALUE - 64;
  private static final int MAX_SIDE = 8192;

  /** The pipeline a bundle runs. */
  public enum Kind {
    SINGLE_PASS("single-pass", List.of("model")),
    FLOW_MATCHING("flow-matching", List.of("tokenizer", "text_encoder", "vae_encoder", "denoiser", "vae_decoder"));

    final String id;
    final List<String> required;

    Kind(String id, List<String> required) {
      this.id = id;
      this.required = required;
    }

    public String id() {
      return id;
    }

    public List<String> requiredComponents() {
      return required;
    }
  }

  /** Pixel normalisation. */
  public enum Range {
    ZERO_ONE("zero-one"),
    MINUS_ONE_ONE("minus-one-one");

    final String id;

    Range(String id) {
      this.id = id;
    }
  }

  /** How a prompt becomes token ids. */
  public enum PromptEncoding {
    UTF8_BYTES("utf8-bytes"),
    TOKENIZER("tokenizer");

    final String id;

    PromptEncoding(String id) {
      this.id = id;
    }
  }

  /**
   * One listed file.
   *
   * @param file bundle-relative path
   * @param sha256 hex SHA-256 of the file as stored (encrypted bytes when encrypted)
   * @param size size as stored
   * @param encrypted whether the file is AES-256-GCM encrypted
   */
  public record Component(String file, String sha256, long size, boolean encrypted) {}

  public Component component(String name) {
    Component c = components.get(name);
    if (c == null) {
      throw new IllegalStateException("no component " + name);
    }
    return c;
  }

  public String id() {
    return name + ":" + version;
  }

  public static Manifest parse(byte[] json) throws BundleVerificationException {
    Problem bad = Problem.MANIFEST_INVALID;
    String p = FILE_NAME;
    JsonObject o = Json.parseObject(json, bad, p);
    String format = Json.string(o, "format", bad, p);
    if (!FORMAT.equals(format)) {
      throw new BundleVerificationException(bad, p, "format must be '" + FORMAT + "', was '" + format + "'");
    }
    String name = Json.string(o, "name", bad, p);
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}")) {
      throw new BundleVerificationException(bad, p, "name must match [A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    }
    String version = Json.string(o, "version", bad, p);
    Kind kind = byId(Kind.values(), Json.string(o, "kind", bad, p), k -> k.id, "kind");
    JsonObject input = Json.object(o, "input", bad, p);
    int width = (int) Json.number(input, "width", 8, MAX_SIDE, bad, p);
    int height = (int) Json.number(input, "height", 8, MAX_SIDE, bad, p);
    Range inRange = byId(Range.values(), Json.string(input, "normalization", bad, p), r -> r.id, "input.normalization");
    String dtype = Json.optString(input, "dtype").orElse("float32");
    if (!dtype.equals("float32")) {
      throw new BundleVerificationException(bad, p, "input.dtype must be float32, was " + dtype);
    }
    Range outRange = byId(Range.values(),
        Json.optObject(o, "output").flatMap(out -> Json.optString(out, "normalization")).orElse(inRange.id),
        r -> r.id, "output.normalization");
    JsonObject prompt = Json.object(o, "prompt", bad, p);
    PromptEncoding encoding = byId(PromptEncoding.values(), Json.string(prompt, "encoding", bad, p), e -> e.id,
        "prompt.encoding");
    int maxTokens = (int) Json.number(prompt, "max_tokens", 1, 4096, bad, p);

    Map<String, Component> components = new LinkedHashMap<>();
    JsonObject list = Json.object(o, "components", bad, p);
    if (list.size() > 64) {
      throw new BundleVerificationException(bad, p, "more than 64 components");
    }
    for (Map.Entry<String, JsonElement> e : list.entrySet()) {
      if (!e.getValue().isJsonObject()) {
        throw new BundleVerificationException(bad, p, "component '" + e.getKey() + "' is not an object");
      }
      JsonObject c = e.getValue().getAsJsonObject();
      String file = BundlePaths.checkRelative(Json.string(c, "file", bad, p), bad);
      if (file.equals(FILE_NAME)) {
        throw new BundleVerificationException(bad, p, "component '" + e.getKey() + "' cannot be the manifest");
      }
      String sha = Json.string(c, "sha256", bad, p);
      if (!Hashing.isSha256Hex(sha)) {
        throw new BundleVerificationException(bad, p, "component '" + e.getKey() + "' sha256 is not 64 lower-case hex");
      }
      long size = Json.number(c, "size", 0, MAX_COMPONENT_BYTES, bad, p);
      boolean encrypted = Json.optBoolean(c, "encrypted").orElse(false);
      components.put(e.getKey(), new Component(file, sha, size, encrypted));
    }
    for (String required : kind.required) {
      if (!components.containsKey(required)) {
        throw new BundleVerificationException(bad, p, kind.id + " bundle needs component '" + required + "'");
      }
    }
    if (kind == Kind.FLOW_MATCHING && encoding != PromptEncoding.TOKENIZER) {
      throw new BundleVerificationException(bad, p, "flow-matching bundles encode prompts with their tokenizer");
    }
    if (encoding == PromptEncoding.TOKENIZER && !components.containsKey("tokenizer")) {
      throw new BundleVerificationException(bad, p, "prompt.encoding 'tokenizer' needs component 'tokenizer'");
    }
    double shift = 1.0;
    int latentChannels = 0;
    int latentScale = 1;
    if (kind == Kind.FLOW_MATCHING) {
      JsonObject s = Json.object(o, "scheduler", bad, p);
      String type = Json.string(s, "type", bad, p);
      if (!type.equals("flow-match-euler")) {
        throw new BundleVerificationException(bad, p, "scheduler.type must be flow-match-euler, was " + type);
      }
      shift = Json.decimal(s, "shift", 1.0, bad, p);
      if (!(shift > 0 && shift <= 100)) {
        throw new BundleVerificationException(bad, p, "scheduler.shift must be in (0, 100]");
      }
      latentChannels = (int) Json.number(s, "latent_channels", 1, 1024, bad, p);
      latentScale = (int) Json.number(s, "latent_scale", 1, 64, bad, p);
      if (width % latentScale != 0 || height % latentScale != 0) {
        throw new BundleVerificationException(bad, p, "input size must be a multiple of scheduler.latent_scale");
      }
    }
    return new Manifest(name, version, kind, width, height, inRange, outRange, encoding, maxTokens, shift,
        latentChannels, latentScale, Map.copyOf(components));
  }

  private static <E> E byId(E[] values, String id, java.util.function.Function<E, String> idOf, String field)
      throws BundleVerificationException {
    for (E v : values) {
      if (idOf.apply(v).equals(id.toLowerCase(Locale.ROOT))) {
        return v;
      }
    }
    throw new BundleVerificationException(Problem.MANIFEST_INVALID, FILE_NAME, field + " is unknown: '" + id + "'");
  }

  /** The files the manifest lists, by path. */
  public Map<String, Component> filesByPath() {
    Map<String, Component> byPath = new LinkedHashMap<>();
    components.values().forEach(c -> byPath.put(c.file(), c));
    return byPath;
  }

  Optional<Component> tokenizer() {
    return Optional.ofNullable(components.get("tokenizer"));
  }
}

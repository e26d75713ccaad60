package dev.f2p.engine.djl.internal;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.f2p.engine.djl.BundleVerificationException;
import dev.f2p.engine.djl.BundleVerificationException.Problem;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * OpenSSF Model Signing v1.0: parsing, verification (the {@code key} method) and signing of the Sigstore
 * bundle that wraps a DSSE envelope over an in-toto statement. Uses only the JDK's {@link Signature}.
 */
public final class Oms {
  /** Where the signature lives in a bundle directory, and is excluded from what it signs. */
  public static final String SIGNATURE_FILE = "model.sig";
  public static final String MEDIA_TYPE_PREFIX = "application/vnd.dev.sigstore.bundle";
  public static final String MEDIA_TYPE = "application/vnd.dev.sigstore.bundle.v0.3+json";
  public static final String PAYLOAD_TYPE = "application/vnd.in-toto+json";
  public static final String STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
  public static final String PREDICATE_TYPE = "https://model_signing/signature/v1.0";
  /** Top-level names every OMS signer and verifier excludes. */
  public static final List<String> DEFAULT_IGNORES = List.of(".git", ".gitignore", ".gitattributes", ".github");
  static final long MAX_SIGNATURE_BYTES = 16L << 20;
  private static final int MAX_RESOURCES = 100_000;

  private Oms() {}

  /** The signing method, from the verification material. */
  public enum Method {
    KEY,
    CERTIFICATE,
    SIGSTORE
  }

  /**
   * A parsed OMS bundle whose statement is well-formed; its signature is not yet checked.
   *
   * @param method the signing method
   * @param keyHint the {@code publicKey.hint} for the key method; empty otherwise
   * @param payload the DSSE payload bytes (the statement)
   * @param signatures the DSSE signatures
   * @param subjectDigest {@code subject[0].digest.sha256}
   * @param resources signed files: name to hex SHA-256
   * @param ignorePaths {@code serialization.ignore_paths}
   */
  public record Parsed(
      Method method,
      String keyHint,
      byte[] payload,
      List<byte[]> signatures,
      String subjectDigest,
      Map<String, String> resources,
      List<String> ignorePaths) {

    /** The root digest recomputed from the resources, per OMS 6.5.1. */
    public String computedRootDigest() {
      MessageDigest d = Hashing.sha256();
      resources.values().forEach(hex -> d.update(HexFormat.of().parseHex(hex)));
      return Hashing.hex(d.digest());
    }
  }

  /** Parses and checks the structure and the statement; refuses every malformed bundle precisely. */
  public static Parsed parse(byte[] json) throws BundleVerificationException {
    Problem bad = Problem.SIGNATURE_MALFORMED;
    String p = SIGNATURE_FILE;
    if (json.length == 0) {
      throw new BundleVerificationException(bad, p, "is empty");
    }
    JsonObject bundle = Json.parseObject(json, bad, p);
    String mediaType = Json.string(bundle, "mediaType", bad, p);
    if (!mediaType.startsWith(MEDIA_TYPE_PREFIX)) {
      throw new BundleVerificationException(bad, p, "mediaType is not a Sigstore bundle: " + mediaType);
    }
    JsonObject material = Json.object(bundle, "verificationMaterial", bad, p);
    JsonObject envelope = Json.object(bundle, "dsseEnvelope", bad, p);
    Method method;
    String hint = "";
    if (material.has("publicKey")) {
      method = Method.KEY;
      JsonObject key = Json.object(material, "publicKey", bad, p);
      hint = Json.optString(key, "hint").orElse("");
      if (hint.isEmpty() && !key.has("rawBytes")) {
        throw new BundleVerificationException(bad, p, "publicKey has neither hint nor rawBytes");
      }
    } else if (material.has("x509CertificateChain")) {
      method = Method.CERTIFICATE;
    } else if (material.has("certificate")) {
      method = Method.SIGSTORE;
      JsonElement tlog = material.get("tlogEntries");
      if (tlog == null || !tlog.isJsonArray() || tlog.getAsJsonArray().isEmpty()) {
        throw new BundleVerificationException(bad, p, "the sigstore method requires tlogEntries");
      }
    } else {
      throw new BundleVerificationException(bad, p, "verificationMaterial has no publicKey or certificate");
    }
    String payloadType = Json.string(envelope, "payloadType", bad, p);
    if (!PAYLOAD_TYPE.equals(payloadType)) {
      throw new BundleVerificationException(bad, p, "payloadType must be " + PAYLOAD_TYPE + ": " + payloadType);
    }
    byte[] payload = base64(Json.string(envelope, "payload", bad, p), "payload");
    JsonElement sigs = envelope.get("signatures");
    if (sigs == null || !sigs.isJsonArray() || sigs.getAsJsonArray().isEmpty() || sigs.getAsJsonArray().size() > 16) {
      throw new BundleVerificationException(bad, p, "dsseEnvelope needs 1 to 16 signatures");
    }
    List<byte[]> signatures = new ArrayList<>();
    for (JsonElement s : sigs.getAsJsonArray()) {
      if (!s.isJsonObject()) {
        throw new BundleVerificationException(bad, p, "a signature is not an object");
      }
      signatures.add(base64(Json.string(s.getAsJsonObject(), "sig", bad, p), "sig"));
    }
    return parseStatement(method, hint, payload, signatures);
  }

  private static Parsed parseStatement(Method method, String hint, byte[] payload, List<byte[]> signatures)
      throws BundleVerificationException {
    Problem bad = Problem.STATEMENT_INVALID;
    String p = SIGNATURE_FILE;
    JsonObject st = Json.parseObject(payload, bad, p);
    String type = Json.string(st, "_type", bad, p);
    if (!STATEMENT_TYPE.equals(type)) {
      throw new BundleVerificationException(bad, p, "_type must be " + STATEMENT_TYPE + ": " + type);
    }
    String predicateType = Json.string(st, "predicateType", bad, p);
    if (!PREDICATE_TYPE.equals(predicateType)) {
      throw new BundleVerificationException(bad, p, "predicateType must be " + PREDICATE_TYPE + ": " + predicateType);
    }
    JsonElement subjects = st.get("subject");
    if (subjects == null || !subjects.isJsonArray() || subjects.getAsJsonArray().size() != 1
        || !subjects.getAsJsonArray().get(0).isJsonObject()) {
      throw new BundleVerificationException(bad, p, "subject must hold exactly one entry");
    }
    JsonObject subject = subjects.getAsJsonArray().get(0).getAsJsonObject();
    if (Json.optString(subject, "name").orElse("").isEmpty()) {
      throw new BundleVerificationException(bad, p, "subject[0].name must be a non-empty string");
    }
    String subjectDigest = Json.string(Json.object(subject, "digest", bad, p), "sha256", bad, p);
    JsonObject predicate = Json.object(st, "predicate", bad, p);
    JsonObject ser = Json.object(predicate, "serialization", bad, p);
    String method0 = Json.string(ser, "method", bad, p);
    if (method0.equals("shards")) {
      throw new BundleVerificationException(Problem.SIGNATURE_UNSUPPORTED, p,
          "serialization method 'shards' is not supported; sign with method 'files'");
    }
    if (!method0.equals("files")) {
      throw new BundleVerificationException(bad, p, "serialization.method must be files or shards: " + method0);
    }
    String hashType = Json.string(ser, "hash_type", bad, p);
    if (!hashType.equals("sha256")) {
      throw new BundleVerificationException(Problem.SIGNATURE_UNSUPPORTED, p,
          "hash_type '" + hashType + "' is not supported; only sha256");
    }
    boolean allowSymlinks = Json.optBoolean(ser, "allow_symlinks")
        .orElseThrow(() -> new BundleVerificationException(bad, p, "serialization.allow_symlinks must be a boolean"));
    if (allowSymlinks) {
      throw new BundleVerificationException(Problem.SIGNATURE_UNSUPPORTED, p,
          "allow_symlinks is true; bundles with symbolic links are refused");
    }
    List<String> ignores = new ArrayList<>();
    JsonElement ig = ser.get("ignore_paths");
    if (ig != null && !ig.isJsonNull()) {
      if (!ig.isJsonArray() || ig.getAsJsonArray().size() > 1024) {
        throw new BundleVerificationException(bad, p, "serialization.ignore_paths must be an array of at most 1024");
      }
      for (JsonElement e : ig.getAsJsonArray()) {
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
          throw new BundleVerificationException(bad, p, "ignore_paths entries must be strings");
        }
        String path = e.getAsString();
        if (path.contains("*") || path.contains("?") || path.contains("[")) {
          throw new BundleVerificationException(bad, p, "ignore_paths entry has a glob character: " + path);
        }
        ignores.add(BundlePaths.checkRelative(path, bad));
      }
    }
    JsonElement res = predicate.get("resources");
    if (res == null || !res.isJsonArray() || res.getAsJsonArray().isEmpty()
        || res.getAsJsonArray().size() > MAX_RESOURCES) {
      throw new BundleVerificationException(bad, p, "predicate.resources must hold 1 to " + MAX_RESOURCES + " files");
    }
    Map<String, String> resources = new LinkedHashMap<>();
    String previous = null;
    for (JsonElement e : res.getAsJsonArray()) {
      if (!e.isJsonObject()) {
        throw new BundleVerificationException(bad, p, "a resource is not an object");
      }
      JsonObject r = e.getAsJsonObject();
      String name = BundlePaths.checkRelative(Json.string(r, "name", bad, p), bad);
      String algorithm = Json.string(r, "algorithm", bad, p);
      String digest = Json.string(r, "digest", bad, p);
      if (!algorithm.equals(hashType) || !Hashing.isSha256Hex(digest)) {
        throw new BundleVerificationException(bad, name, "resource digest is not a sha256 hex digest");
      }
      if (previous != null && previous.compareTo(name) >= 0) {
        throw new BundleVerificationException(bad, name, "resources are not sorted by name, or repeat one");
      }
      previous = name;
      resources.put(name, digest);
    }
    Parsed parsed = new Parsed(method, hint, payload, List.copyOf(signatures), subjectDigest,
        java.util.Collections.unmodifiableMap(resources), List.copyOf(ignores));
    if (!parsed.computedRootDigest().equals(subjectDigest)) {
      throw new BundleVerificationException(Problem.ROOT_DIGEST_MISMATCH, p,
          "subject digest " + subjectDigest + " is not the root digest of the resources "
              + parsed.computedRootDigest());
    }
    return parsed;
  }

  /**
   * Checks a {@code key}-method signature against the trusted keys; returns the fingerprint of the key
   * that verified it.
   */
  public static String verifySignature(Parsed parsed, List<PublicKey> trusted) throws BundleVerificationException {
    if (parsed.method() != Method.KEY) {
      throw new BundleVerificationException(Problem.SIGNATURE_UNSUPPORTED, SIGNATURE_FILE,
          "signing method '" + parsed.method().name().toLowerCase(java.util.Locale.ROOT)
              + "' is not supported; only 'key'");
    }
    if (trusted.isEmpty()) {
      throw new BundleVerificationException(Problem.SIGNATURE_INVALID, SIGNATURE_FILE, "no trusted keys configured");
    }
    byte[] pae = pae(PAYLOAD_TYPE, parsed.payload());
    // The hint only orders the search: a key is trusted because the host configured it, never by hint.
    List<PublicKey> order = new ArrayList<>(trusted);
    order.sort((a, b) -> Boolean.compare(!fingerprint(a).equals(parsed.keyHint()), !fingerprint(b).equals(parsed.keyHint())));
    for (PublicKey key : order) {
      for (byte[] sig : parsed.signatures()) {
        if (verifies(key, pae, sig)) {
          return fingerprint(key);
        }
      }
    }
    throw new BundleVerificationException(Problem.SIGNATURE_INVALID, SIGNATURE_FILE,
        "the signature does not verify with any of " + trusted.size() + " trusted key(s)");
  }

  /** DSSE v1 pre-authentication encoding. */
  public static byte[] pae(String payloadType, byte[] payload) {
    byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
    String head = "DSSEv1 " + type.length + " " + payloadType + " " + payload.length + " ";
    byte[] h = head.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[h.length + payload.length];
    System.arraycopy(h, 0, out, 0, h.length);
    System.arraycopy(payload, 0, out, h.length, payload.length);
    return out;
  }

  /** Hex SHA-256 of the key's SubjectPublicKeyInfo: the {@code publicKey.hint}. */
  public static String fingerprint(PublicKey key) {
    return Hashing.sha256Hex(key.getEncoded());
  }

  static String algorithm(java.security.Key key) {
    int bits = key instanceof ECKey ec ? ec.getParams().getCurve().getField().getFieldSize() : 0;
    return switch (bits) {
      case 256 -> "SHA256withECDSA";
      case 384 -> "SHA384withECDSA";
      case 521 -> "SHA512withECDSA";
      default -> throw new IllegalArgumentException("only ECDSA P-256, P-384 and P-521 keys are supported");
    };
  }

  private static boolean verifies(PublicKey key, byte[] pae, byte[] sig) {
    try {
      String alg = algorithm(key);
      // OMS tools write DER; accept the raw r||s form too, as some DSSE signers emit it.
      String name = sig.length > 0 && sig[0] == 0x30 ? alg : alg + "inP1363Format";
      Signature s = Signature.getInstance(name);
      s.initVerify(key);
      s.update(pae);
      return s.verify(sig);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * Writes an OMS v1.0 {@code key}-method bundle for {@code files} (name to hex SHA-256), shaped as the
   * reference {@code model_signing} tool writes it.
   */
  public static byte[] sign(String subjectName, Map<String, String> files, List<String> ignorePaths,
      PrivateKey privateKey, PublicKey publicKey) throws GeneralSecurityException {
    JsonArray resources = new JsonArray();
    MessageDigest root = Hashing.sha256();
    for (Map.Entry<String, String> f : new java.util.TreeMap<>(files).entrySet()) {
      JsonObject r = new JsonObject();
      r.addProperty("digest", f.getValue());
      r.addProperty("algorithm", "sha256");
      r.addProperty("name", f.getKey());
      resources.add(r);
      root.update(HexFormat.of().parseHex(f.getValue()));
    }
    JsonObject serialization = new JsonObject();
    serialization.addProperty("method", "files");
    JsonArray ignores = new JsonArray();
    ignorePaths.forEach(ignores::add);
    serialization.add("ignore_paths", ignores);
    serialization.addProperty("hash_type", "sha256");
    serialization.addProperty("allow_symlinks", false);
    JsonObject predicate = new JsonObject();
    predicate.add("resources", resources);
    predicate.add("serialization", serialization);
    JsonObject digest = new JsonObject();
    digest.addProperty("sha256", Hashing.hex(root.digest()));
    JsonObject subject = new JsonObject();
    subject.addProperty("name", subjectName);
    subject.add("digest", digest);
    JsonArray subjects = new JsonArray();
    subjects.add(subject);
    JsonObject statement = new JsonObject();
    statement.addProperty("_type", STATEMENT_TYPE);
    statement.add("subject", subjects);
    statement.addProperty("predicateType", PREDICATE_TYPE);
    statement.add("predicate", predicate);
    byte[] payload = pretty(statement).getBytes(StandardCharsets.UTF_8);

    Signature s = Signature.getInstance(algorithm(privateKey));
    s.initSign(privateKey);
    s.update(pae(PAYLOAD_TYPE, payload));
    JsonObject sig = new JsonObject();
    sig.addProperty("sig", Base64.getEncoder().encodeToString(s.sign()));
    sig.addProperty("keyid", "");
    JsonArray sigs = new JsonArray();
    sigs.add(sig);
    JsonObject envelope = new JsonObject();
    envelope.addProperty("payload", Base64.getEncoder().encodeToString(payload));
    envelope.addProperty("payloadType", PAYLOAD_TYPE);
    envelope.add("signatures", sigs);
    JsonObject key = new JsonObject();
    key.addProperty("hint", fingerprint(publicKey));
    JsonObject material = new JsonObject();
    material.add("publicKey", key);
    material.add("tlogEntries", new JsonArray());
    JsonObject bundle = new JsonObject();
    bundle.addProperty("mediaType", MEDIA_TYPE);
    bundle.add("verificationMaterial", material);
    bundle.add("dsseEnvelope", envelope);
    return (pretty(bundle) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /** The ignore list a signer records: the OMS defaults plus the signature file itself. */
  public static List<String> signerIgnores() {
    Set<String> s = new LinkedHashSet<>(DEFAULT_IGNORES);
    s.add(SIGNATURE_FILE);
    return List.copyOf(s);
  }

  static String pretty(JsonElement e) {
    return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(e);
  }

  private static byte[] base64(String s, String field) throws BundleVerificationException {
    try {
      return Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      throw new BundleVerificationException(Problem.SIGNATURE_MALFORMED, SIGNATURE_FILE, field + " is not base64");
    }
  }
}

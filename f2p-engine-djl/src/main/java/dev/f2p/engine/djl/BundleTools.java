package dev.f2p.engine.djl;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.f2p.engine.djl.internal.ComponentCipher;
import dev.f2p.engine.djl.internal.Hashing;
import dev.f2p.engine.djl.internal.Manifest;
import dev.f2p.engine.djl.internal.Oms;
import dev.f2p.engine.djl.internal.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.crypto.SecretKey;

/**
 * Producing bundles: writing a manifest's hashes, signing (OMS v1.0, {@code key} method) and encrypting
 * components (AES-256-GCM). The counterpart of {@link BundleVerifier}; used by the bundle command.
 * Stateless; do not run two tools on one directory at once.
 */
public final class BundleTools {
  private BundleTools() {}

  /**
   * Copies the bundle directory {@code bundle} to {@code target} (which must not exist) with permissions
   * the verifier accepts: directories {@code rwxr-xr-x}, files {@code rw-r--r--}. A checkout or an unpacked
   * archive made under a permissive umask leaves a bundle group-writable, and the verifier rightly refuses
   * it (anyone in the group could swap the model); installing it with this copy is the fix. Symbolic links
   * are copied as the files they point to only if they stay inside the bundle; others fail. POSIX file
   * systems only.
   *
   * @param bundle the bundle directory to copy; not modified
   * @param target where the copy goes; must not exist, its parent must
   * @return {@code target}
   * @throws IOException when {@code target} exists ({@link java.nio.file.FileAlreadyExistsException}), a
   *     link leads outside the bundle, or a file cannot be copied; a partial copy may be left behind
   * @throws UnsupportedOperationException when the file system has no POSIX permissions
   */
  public static Path copyWithSafePermissions(Path bundle, Path target) throws IOException {
    Path root = bundle.toRealPath();
    if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      throw new java.nio.file.FileAlreadyExistsException(target.toString());
    }
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (!f.toRealPath().startsWith(root)) {
          throw new IOException("refusing to copy " + root.relativize(f) + ": it links outside the bundle");
        }
        Path t = target.resolve(root.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(t);
          Files.setPosixFilePermissions(t, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        } else {
          Files.copy(f, t);
          Files.setPosixFilePermissions(t, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        }
      }
    }
    return target;
  }

  /**
   * Writes {@code bundle.json} in {@code directory}: when it exists, refreshes every listed component's
   * {@code sha256} and {@code size}; when it does not, writes a skeleton of kind {@code kind} listing every
   * file (named by its file name without extension) for the team to complete. The manifest is replaced
   * atomically.
   *
   * @param directory the bundle directory
   * @param name the bundle's name, for a new skeleton; ignored when a manifest exists
   * @param version the bundle's version, for a new skeleton; ignored when a manifest exists
   * @param kind the pipeline kind ({@code single-pass} or {@code flow-matching}), for a new skeleton;
   *     ignored when a manifest exists
   * @return the manifest's path
   * @throws IOException when a listed file or the manifest cannot be read or written
   */
  public static Path writeManifest(Path directory, String name, String version, String kind) throws IOException {
    Path file = directory.resolve(Manifest.FILE_NAME);
    JsonObject manifest;
    if (Files.exists(file)) {
      manifest = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
    } else {
      manifest = skeleton(directory, name, version, kind);
    }
    JsonObject components = manifest.getAsJsonObject("components");
    for (Map.Entry<String, JsonElement> e : components.entrySet()) {
      JsonObject c = e.getValue().getAsJsonObject();
      Path f = directory.resolve(c.get("file").getAsString());
      c.addProperty("sha256", Hashing.sha256Hex(f));
      c.addProperty("size", Files.size(f));
    }
    write(file, new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(manifest) + "\n");
    return file;
  }

  private static JsonObject skeleton(Path directory, String name, String version, String kind) throws IOException {
    JsonObject m = new JsonObject();
    m.addProperty("format", Manifest.FORMAT);
    m.addProperty("name", name);
    m.addProperty("version", version);
    m.addProperty("kind", kind);
    JsonObject input = new JsonObject();
    input.addProperty("width", 512);
    input.addProperty("height", 512);
    input.addProperty("normalization", "zero-one");
    input.addProperty("dtype", "float32");
    m.add("input", input);
    JsonObject prompt = new JsonObject();
    prompt.addProperty("encoding", "utf8-bytes");
    prompt.addProperty("max_tokens", 77);
    m.add("prompt", prompt);
    JsonObject components = new JsonObject();
    try (Stream<Path> files = Files.list(directory)) {
      for (Path f : (Iterable<Path>) files.sorted()::iterator) {
        String fn = f.getFileName().toString();
        if (Files.isRegularFile(f) && !fn.equals(Manifest.FILE_NAME) && !fn.equals(Oms.SIGNATURE_FILE)
            && !fn.startsWith(".")) {
          JsonObject c = new JsonObject();
          c.addProperty("file", fn);
          int dot = fn.indexOf('.');
          components.add(dot > 0 ? fn.substring(0, dot) : fn, c);
        }
      }
    }
    m.add("components", components);
    return m;
  }

  /**
   * Signs every file of the bundle (all but {@code model.sig} and the OMS default exclusions) and writes
   * {@code model.sig}. The public key must be the private key's pair: the new signature is verified
   * with it before this returns. Run it last: any later change to a file (a new hash, an encryption)
   * breaks the signature.
   *
   * @param directory the bundle directory; it must hold no symbolic link
   * @param privateKey the signer's EC private key (P-256, P-384 or P-521)
   * @param publicKey its public key, embedded in the signature for the verifier to match against its
   *     trusted keys
   * @return the path of the {@code model.sig} written
   * @throws IOException when the directory holds a symbolic link or no file, or cannot be read or written
   * @throws GeneralSecurityException when signing fails, or the keys are not a pair (nothing is written)
   */
  public static Path sign(Path directory, ECPrivateKey privateKey, ECPublicKey publicKey)
      throws IOException, GeneralSecurityException {
    Path root = directory.toAbsolutePath().normalize();
    Map<String, String> files = new TreeMap<>();
    List<String> ignores = Oms.signerIgnores();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path f : (Iterable<Path>) walk::iterator) {
        if (Files.isSymbolicLink(f)) {
          throw new IOException(f + " is a symbolic link; OMS signing with allow_symlinks=false refuses links");
        }
        String rel = root.relativize(f).toString().replace('\\', '/');
        if (!Files.isRegularFile(f) || ignores.stream().anyMatch(i -> rel.equals(i) || rel.startsWith(i + "/"))) {
          continue;
        }
        files.put(rel, Hashing.sha256Hex(f));
      }
    }
    if (files.isEmpty()) {
      throw new IOException(root + " holds no file to sign");
    }
    byte[] bundle = Oms.sign(root.getFileName().toString(), files, ignores, privateKey, publicKey);
    try {
      Oms.verifySignature(Oms.parse(bundle), List.of(publicKey));
    } catch (BundleVerificationException e) {
      throw new GeneralSecurityException("the public key is not the pair of the private key: " + e.getMessage(), e);
    }
    Path out = root.resolve(Oms.SIGNATURE_FILE);
    write(out, new String(bundle, StandardCharsets.UTF_8));
    return out;
  }

  /**
   * {@link #sign(Path, ECPrivateKey, ECPublicKey)} with the keys in these PEM files.
   *
   * @param directory the bundle directory
   * @param privateKeyPem an unencrypted PKCS#8 EC private key ({@code BEGIN PRIVATE KEY})
   * @param publicKeyPem its public key ({@code BEGIN PUBLIC KEY})
   * @return the path of the {@code model.sig} written
   * @throws IOException when a key file cannot be read or holds no EC key, or signing fails on I/O
   * @throws GeneralSecurityException when signing fails, or the keys are not a pair
   */
  public static Path sign(Path directory, Path privateKeyPem, Path publicKeyPem)
      throws IOException, GeneralSecurityException {
    return sign(directory, Pem.readPrivateKey(privateKeyPem), Pem.readPublicKey(publicKeyPem));
  }

  /**
   * Encrypts component {@code component} in place: writes {@code <file>.enc}, removes the clear file and
   * updates the manifest. A signature made before no longer matches: sign again afterwards. The cipher
   * binds the bundle's name and the file name, so an encrypted file moved to another bundle or name fails
   * to decrypt.
   *
   * @param directory the bundle directory, holding {@code bundle.json}
   * @param component the component's name in the manifest
   * @param key the AES-256 key the {@link KeyProvider} will later supply for this bundle
   * @return the path of the {@code .enc} file written
   * @throws IOException when the manifest has no such component, it is already encrypted, or a file
   *     cannot be read or written
   * @throws GeneralSecurityException when {@code key} is not a 32-byte AES key, or encryption fails
   */
  public static Path encrypt(Path directory, String component, SecretKey key)
      throws IOException, GeneralSecurityException {
    Path manifestFile = directory.resolve(Manifest.FILE_NAME);
    JsonObject manifest = JsonParser.parseString(Files.readString(manifestFile)).getAsJsonObject();
    String name = manifest.get("name").getAsString();
    JsonObject components = manifest.getAsJsonObject("components");
    if (!components.has(component)) {
      throw new IOException("no component '" + component + "' in " + manifestFile + "; have " + components.keySet());
    }
    JsonObject c = components.getAsJsonObject(component);
    if (c.has("encrypted") && c.get("encrypted").getAsBoolean()) {
      throw new IOException("component '" + component + "' is already encrypted");
    }
    String file = c.get("file").getAsString();
    String encFile = file + ".enc";
    byte[] sealed = ComponentCipher.encrypt(Files.readAllBytes(directory.resolve(file)), key, name, encFile);
    Path out = directory.resolve(encFile);
    Path tmp = Files.createTempFile(directory, ".enc", ".tmp");
    Files.write(tmp, sealed);
    Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    Files.delete(directory.resolve(file));
    c.addProperty("file", encFile);
    c.addProperty("sha256", Hashing.sha256Hex(sealed));
    c.addProperty("size", sealed.length);
    c.addProperty("encrypted", true);
    write(manifestFile, new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(manifest) + "\n");
    return out;
  }

  private static void write(Path file, String content) throws IOException {
    Path tmp = Files.createTempFile(file.getParent(), ".bundle", ".tmp");
    try {
      Files.writeString(tmp, content, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}

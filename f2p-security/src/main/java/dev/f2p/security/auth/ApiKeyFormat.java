package dev.f2p.security.auth;

import java.security.SecureRandom;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * The shape of a key: {@code f2p_live_<key id>_<secret>}. The key id is 12 characters of
 * {@code [a-z0-9]} (62 bits, public: it names the key in logs and events); the secret is 32 bytes from
 * {@link SecureRandom} in base64url (256 bits). The whole key is URL-safe and at most 64 characters.
 */
final class ApiKeyFormat {
  static final String PREFIX = "f2p_live_";
  static final int ID_LENGTH = 12;
  static final int SECRET_BYTES = 32;
  private static final int SECRET_CHARS = 43;
  /** Anything longer is refused before it is looked at further. */
  static final int MAX_LENGTH = PREFIX.length() + ID_LENGTH + 1 + SECRET_CHARS;
  private static final char[] ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

  private ApiKeyFormat() {}

  static String newKeyId(SecureRandom random) {
    char[] id = new char[ID_LENGTH];
    for (int i = 0; i < id.length; i++) {
      id[i] = ID_ALPHABET[random.nextInt(ID_ALPHABET.length)];
    }
    return new String(id);
  }

  static String newKey(String keyId, SecureRandom random) {
    byte[] secret = new byte[SECRET_BYTES];
    random.nextBytes(secret);
    return PREFIX + keyId + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
  }

  /** Whether {@code keyId} has the shape of a key id. */
  static boolean isKeyId(String keyId) {
    if (keyId.length() != ID_LENGTH) {
      return false;
    }
    for (int i = 0; i < ID_LENGTH; i++) {
      char c = keyId.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
        return false;
      }
    }
    return true;
  }

  /** The key id of a well-formed key, or {@code null}: no allocation but the id for a bad key. */
  static @Nullable String keyIdOf(String key) {
    if (key.length() != MAX_LENGTH || !key.startsWith(PREFIX) || key.charAt(PREFIX.length() + ID_LENGTH) != '_') {
      return null;
    }
    for (int i = PREFIX.length() + ID_LENGTH + 1; i < key.length(); i++) {
      char c = key.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
        return null;
      }
    }
    String id = key.substring(PREFIX.length(), PREFIX.length() + ID_LENGTH);
    return isKeyId(id) ? id : null;
  }
}

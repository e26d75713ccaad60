package dev.f2p.security.auth;

import dev.f2p.core.Principal;
import dev.f2p.core.Role;
import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What is stored for one API key: its public id, the principal it belongs to and that principal's roles,
 * the key's hash (never the key), when it was created, when it expires (if ever) and its state.
 * Immutable and thread-safe.
 */
public final class ApiKeyRecord {
  /** Principal ids: letters, digits and {@code . _ @ -}, 1 to 128 characters. */
  public static final Pattern PRINCIPAL_ID = Pattern.compile("[A-Za-z0-9._@-]{1,128}");

  /** Oldest first, then by key id: the order keys are listed in. */
  static final Comparator<ApiKeyRecord> OLDEST_FIRST =
      Comparator.comparing(ApiKeyRecord::created).thenComparing(ApiKeyRecord::keyId);

  private final String keyId;
  private final String principalId;
  private final Set<Role> roles;
  private final KeyHash hash;
  private final Instant created;
  private final @Nullable Instant expires;
  private final KeyState state;
  /** The principal this key authenticates as, built once. */
  private final Principal principal;
  private final long expiresMillis;

  private ApiKeyRecord(String keyId, String principalId, Set<Role> roles, KeyHash hash, Instant created,
      @Nullable Instant expires, KeyState state) {
    this.keyId = Objects.requireNonNull(keyId, "keyId");
    this.principalId = Objects.requireNonNull(principalId, "principalId");
    this.roles = Set.copyOf(Objects.requireNonNull(roles, "roles"));
    this.hash = Objects.requireNonNull(hash, "hash");
    this.created = Objects.requireNonNull(created, "created");
    this.expires = expires;
    this.state = Objects.requireNonNull(state, "state");
    if (!ApiKeyFormat.isKeyId(keyId)) {
      throw new IllegalArgumentException("key id must be 12 characters of [a-z0-9]: " + keyId);
    }
    if (!PRINCIPAL_ID.matcher(principalId).matches()) {
      throw new IllegalArgumentException("principal id must match " + PRINCIPAL_ID + ": " + principalId);
    }
    if (this.roles.isEmpty()) {
      throw new IllegalArgumentException("a key needs at least one role: " + keyId);
    }
    if (expires != null && expires.isBefore(created)) {
      throw new IllegalArgumentException("key " + keyId + " expires before it was created");
    }
    this.principal = new Principal(principalId, this.roles, keyId);
    this.expiresMillis = expires == null ? Long.MAX_VALUE : expires.toEpochMilli();
  }

  /** A record; {@code expires} empty for a key that never expires. */
  public static ApiKeyRecord of(String keyId, String principalId, Set<Role> roles, KeyHash hash, Instant created,
      Optional<Instant> expires, KeyState state) {
    return new ApiKeyRecord(keyId, principalId, roles, hash, created, expires.orElse(null), state);
  }

  public String keyId() {
    return keyId;
  }

  public String principalId() {
    return principalId;
  }

  public Set<Role> roles() {
    return roles;
  }

  public KeyHash hash() {
    return hash;
  }

  public Instant created() {
    return created;
  }

  /** When the key stops working; empty if never. */
  public Optional<Instant> expires() {
    return Optional.ofNullable(expires);
  }

  public KeyState state() {
    return state;
  }

  /** Whether the key authenticates at {@code now}: active and not expired. */
  public boolean isValidAt(Instant now) {
    return isValidAt(now.toEpochMilli());
  }

  boolean isValidAt(long nowMillis) {
    return state == KeyState.ACTIVE && nowMillis < expiresMillis;
  }

  Principal principal() {
    return principal;
  }

  /** This record revoked. */
  public ApiKeyRecord revoked() {
    return new ApiKeyRecord(keyId, principalId, roles, hash, created, expires, KeyState.REVOKED);
  }

  /** This record expiring at {@code expiry}, or at its own expiry if that is earlier. */
  public ApiKeyRecord expiringBy(Instant expiry) {
    Instant e = expires != null && expires.isBefore(expiry) ? expires : expiry;
    return new ApiKeyRecord(keyId, principalId, roles, hash, created, e.isBefore(created) ? created : e, state);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ApiKeyRecord r && keyId.equals(r.keyId) && principalId.equals(r.principalId)
        && roles.equals(r.roles) && hash.equals(r.hash) && created.equals(r.created)
        && Objects.equals(expires, r.expires) && state == r.state;
  }

  @Override
  public int hashCode() {
    return keyId.hashCode();
  }

  @Override
  public String toString() {
    return "ApiKeyRecord{" + keyId + ", principal=" + principalId + ", roles=" + roles + ", " + state
        + (expires == null ? "" : ", expires=" + expires) + "}";
  }
}

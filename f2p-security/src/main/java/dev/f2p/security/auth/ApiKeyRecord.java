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

  /**
   * A record, checked: {@link ApiKeys} issues them, a store reads them back.
   *
   * @param keyId the key's public id, 12 characters of {@code [a-z0-9]}
   * @param principalId whom the key authenticates as, matching {@link #PRINCIPAL_ID}
   * @param roles that principal's roles, at least one (copied)
   * @param hash the key's hash
   * @param created when the key was issued
   * @param expires when it stops working, not before {@code created}; empty for a key that never expires
   * @param state active or revoked
   * @return the record
   * @throws IllegalArgumentException when a field is malformed, the roles are empty or the key expires
   *     before it was created
   */
  public static ApiKeyRecord of(String keyId, String principalId, Set<Role> roles, KeyHash hash, Instant created,
      Optional<Instant> expires, KeyState state) {
    return new ApiKeyRecord(keyId, principalId, roles, hash, created, expires.orElse(null), state);
  }

  /**
   * The key's public id: the part of the key between the prefix and the secret, safe to log and show.
   *
   * @return 12 characters of {@code [a-z0-9]}
   */
  public String keyId() {
    return keyId;
  }

  /**
   * Whom the key authenticates as; several keys may share one principal (rotation).
   *
   * @return the principal id, matching {@link #PRINCIPAL_ID}
   */
  public String principalId() {
    return principalId;
  }

  /**
   * The principal's roles, which the authorizer reads.
   *
   * @return an immutable, non-empty set
   */
  public Set<Role> roles() {
    return roles;
  }

  /**
   * The key's hash, compared in constant time with the hash of a presented key.
   *
   * @return the hash
   */
  public KeyHash hash() {
    return hash;
  }

  /**
   * When the key was issued; keys are listed oldest first.
   *
   * @return the creation time
   */
  public Instant created() {
    return created;
  }

  /**
   * When the key stops working.
   *
   * @return the expiry (the key is refused from that instant on); empty if never
   */
  public Optional<Instant> expires() {
    return Optional.ofNullable(expires);
  }

  /**
   * Whether the key is active or revoked; a revoked key is refused whatever its expiry.
   *
   * @return the state
   */
  public KeyState state() {
    return state;
  }

  /**
   * Whether the key authenticates at {@code now}: active and not expired.
   *
   * @param now the time asked about
   * @return true when active and {@code now} is before its expiry
   */
  public boolean isValidAt(Instant now) {
    return isValidAt(now.toEpochMilli());
  }

  boolean isValidAt(long nowMillis) {
    return state == KeyState.ACTIVE && nowMillis < expiresMillis;
  }

  Principal principal() {
    return principal;
  }

  /**
   * This record revoked; save it to make the revocation effective on the next request.
   *
   * @return a copy in state {@link KeyState#REVOKED}
   */
  public ApiKeyRecord revoked() {
    return new ApiKeyRecord(keyId, principalId, roles, hash, created, expires, KeyState.REVOKED);
  }

  /**
   * This record expiring at {@code expiry}, or at its own expiry if that is earlier: a rotation's grace
   * period never extends a key's life.
   *
   * @param expiry the latest the key may work; one before the key's creation reads as its creation
   * @return a copy with the earlier expiry
   */
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

package dev.f2p.security.pdq;

import dev.f2p.core.ReasonCode;
import dev.f2p.core.Rejection;
import dev.f2p.core.internal.BuilderOptions;
import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What {@link PdqHashListValidator} and {@link PdqHashListOutputPolicy} do with a picture: hash it with PDQ
 * and, when a hash list is configured, look the hash up within a maximum distance, by default for all eight
 * rotations and flips ({@link PdqHasher#orientations}: a mirrored or rotated copy of a listed picture is
 * found as surely as the picture itself, for about six times the hashing cost). Without a list it only
 * fingerprints. Immutable and thread-safe; built by {@link #builder()}.
 */
public final class PdqListCheck {
  /** PDQ's usual match distance: near duplicates lie within it, unrelated photos far beyond. */
  public static final int DEFAULT_MAX_DISTANCE = 31;
  /** Rotations and flips are matched unless switched off. */
  public static final boolean DEFAULT_MATCH_DIHEDRAL = true;

  private static final PdqListCheck FINGERPRINT_ONLY = new PdqListCheck(null, DEFAULT_MAX_DISTANCE, false);

  private final @Nullable Supplier<PdqHashList> list;
  private final int maxDistance;
  private final boolean matchDihedral;

  private PdqListCheck(@Nullable Supplier<PdqHashList> list, int maxDistance, boolean matchDihedral) {
    this.list = list;
    this.maxDistance = maxDistance;
    this.matchDihedral = matchDihedral;
  }

  /**
   * Fingerprints only: hashes go into the events, nothing is refused. Hashes only the picture as given.
   *
   * @return the shared fingerprint-only check
   */
  public static PdqListCheck fingerprintOnly() {
    return FINGERPRINT_ONLY;
  }

  /**
   * A builder; {@link Builder#hashList} is required.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Whether a list is configured.
   *
   * @return false for {@link #fingerprintOnly()}, which refuses nothing
   */
  public boolean hasList() {
    return list != null;
  }

  /**
   * The largest Hamming distance at which a listed hash matches.
   *
   * @return 0..{@value PdqHashList#MAX_DISTANCE}; meaningless without a list
   */
  public int maxDistance() {
    return maxDistance;
  }

  /**
   * Whether the eight rotations and flips of a picture are looked up, not only the picture as given.
   *
   * @return true when rotated and flipped copies of a listed picture match; false without a list
   */
  public boolean matchDihedral() {
    return matchDihedral;
  }

  /** The detail code of a refusal for a listed picture. */
  static final String HASH_LISTED = "HASH_LISTED";
  /** The detail code of a refusal when the picture could not be hashed. */
  static final String FINGERPRINT_FAILED = "FINGERPRINT_FAILED";
  private static final String LISTED_MESSAGE = "This image cannot be processed.";

  /** The refusal for a listed picture: IMAGE_REJECTED / HASH_LISTED, saying nothing of the list. */
  static Rejection listed() {
    return Rejection.of(ReasonCode.IMAGE_REJECTED, HASH_LISTED, LISTED_MESSAGE);
  }

  /** The refusal when hashing failed: a bug or a picture the hasher cannot read; fail closed. */
  static Rejection failed(ReasonCode reason) {
    return Rejection.of(reason, FINGERPRINT_FAILED, reason.safeMessage());
  }

  /** The refusal when the heap ran out while hashing: OVERLOADED / FINGERPRINT_BUSY, retry in a second. */
  static Rejection busy() {
    return Rejection.of(ReasonCode.OVERLOADED, "FINGERPRINT_BUSY", ReasonCode.OVERLOADED.safeMessage())
        .withRetryAfter(java.time.Duration.ofSeconds(1));
  }

  /** {@code first} then {@code second}, the latter winning on a shared name. */
  static Map<String, String> merge(Map<String, String> first, Map<String, String> second) {
    Map<String, String> out = new LinkedHashMap<>(first);
    out.putAll(second);
    return out;
  }

  /** The outcome for one picture: its fingerprint, the event attributes, and the listed hash it matched. */
  record Outcome(PdqFingerprint fingerprint, Map<String, String> attributes, Optional<PdqHashList.Match> match) {}

  /** Hashes {@code pixels} and looks them up; attribute names start with {@code prefix}. */
  Outcome check(BufferedImage pixels, String prefix) {
    PdqHasher hasher = PdqHasher.create();
    Optional<PdqHashList.Match> best = Optional.empty();
    PdqFingerprint fingerprint;
    if (list == null) {
      fingerprint = hasher.hash(pixels);
    } else if (matchDihedral) {
      PdqDihedralHashes all = hasher.orientations(pixels);
      fingerprint = all.original();
      PdqHashList current = list.get();
      for (PdqHash h : all.hashes()) {
        Optional<PdqHashList.Match> m = current.findNearest(h, maxDistance);
        if (m.isPresent() && (best.isEmpty() || m.get().distance() < best.get().distance())) {
          best = m;
        }
      }
    } else {
      fingerprint = hasher.hash(pixels);
      best = list.get().findNearest(fingerprint.hash(), maxDistance);
    }
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put(prefix, fingerprint.hash().toHex());
    attributes.put(prefix + ".quality", Integer.toString(fingerprint.quality()));
    best.ifPresent(m -> {
      // The listed hash and distance identify the entry; the label stays with the host (it may name a person).
      attributes.put(prefix + ".match", m.hash().toHex());
      attributes.put(prefix + ".match.distance", Integer.toString(m.distance()));
    });
    return new Outcome(fingerprint, Map.copyOf(attributes), best);
  }

  @Override
  public String toString() {
    return list == null ? "PdqListCheck{fingerprint only}"
        : "PdqListCheck{maxDistance=" + maxDistance + ", dihedral=" + matchDihedral + "}";
  }

  /** Builds a {@link PdqListCheck}; each option may be set once. Not thread-safe. */
  public static final class Builder {
    private @Nullable Supplier<PdqHashList> list;
    private int maxDistance = -1;
    private @Nullable Boolean matchDihedral;

    private final BuilderOptions options = new BuilderOptions();

    private Builder() {}

    /**
     * A fixed list.
     *
     * @param list the list every check looks up
     * @return this builder
     * @throws IllegalStateException when a list was already set
     */
    public Builder hashList(PdqHashList list) {
      Objects.requireNonNull(list, "list");
      return hashList(() -> list);
    }

    /**
     * Where to get the list in force at each check, such as a {@link ReloadingPdqHashList}; must be fast
     * and must not return null.
     *
     * @param source called once per check, on the request's thread
     * @return this builder
     * @throws IllegalStateException when a list was already set
     */
    public Builder hashList(Supplier<PdqHashList> source) {
      this.list = options.once("hashList", source);
      return this;
    }

    /**
     * Refuse within this distance; default {@value #DEFAULT_MAX_DISTANCE}. Larger catches more edited
     * copies and refuses more unrelated pictures.
     *
     * @param maxDistance 0..{@value PdqHashList#MAX_DISTANCE}
     * @return this builder
     * @throws IllegalArgumentException when out of range
     * @throws IllegalStateException when already set
     */
    public Builder maxDistance(int maxDistance) {
      options.once("maxDistance");
      if (maxDistance < 0 || maxDistance > PdqHashList.MAX_DISTANCE) {
        throw new IllegalArgumentException("maxDistance must be 0.." + PdqHashList.MAX_DISTANCE + ": " + maxDistance);
      }
      this.maxDistance = maxDistance;
      return this;
    }

    /**
     * Whether rotated and flipped copies match too; default {@value #DEFAULT_MATCH_DIHEDRAL}. Off, a
     * check hashes the picture as given only, which is several times cheaper, and a mirrored or rotated
     * copy of a listed picture passes.
     *
     * @param matchDihedral false to look up the picture as given only
     * @return this builder
     * @throws IllegalStateException when already set
     */
    public Builder matchDihedral(boolean matchDihedral) {
      options.once("matchDihedral");
      this.matchDihedral = matchDihedral;
      return this;
    }

    /**
     * Builds the check.
     *
     * @return an immutable, thread-safe check
     * @throws IllegalStateException if no hash list was set (use {@link #fingerprintOnly()} for none)
     */
    public PdqListCheck build() {
      if (list == null) {
        throw new IllegalStateException("hashList is required; use PdqListCheck.fingerprintOnly() for no list");
      }
      return new PdqListCheck(list, maxDistance < 0 ? DEFAULT_MAX_DISTANCE : maxDistance,
          matchDihedral == null ? DEFAULT_MATCH_DIHEDRAL : matchDihedral);
    }
  }
}

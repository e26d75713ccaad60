package dev.f2p.security.incident;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One change to incident state, as an {@link IncidentStore} applies, persists and announces it.
 * Immutable.
 */
public sealed interface IncidentChange {
  /** Subjects are ids, key ids or addresses: short, printable, no white space. */
  Pattern SUBJECT = Pattern.compile("[\\x21-\\x7E]{1,256}");

  /**
   * Until then, nothing may pass for {@code subject}; {@link Instant#MAX} means for good (a revocation).
   * Replaces any earlier restriction of the same subject, shorter or longer.
   *
   * @param target what kind of subject it restricts
   * @param subject the principal id, key id or address; matches {@link #SUBJECT}
   * @param until when the restriction ends; {@link Instant#MAX} for good
   */
  record Restrict(IncidentTarget target, String subject, Instant until) implements IncidentChange {
    /**
     * Checks the components.
     *
     * @param target what kind of subject it restricts
     * @param subject the principal id, key id or address
     * @param until when the restriction ends
     * @throws IllegalArgumentException when {@code subject} does not match {@link #SUBJECT}
     */
    public Restrict {
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(until, "until");
      checkSubject(subject);
    }
  }

  /**
   * Lifts a restriction early (a revocation too); lifting a subject that is not restricted changes
   * nothing.
   *
   * @param target what kind of subject it frees
   * @param subject the principal id, key id or address; matches {@link #SUBJECT}
   */
  record Lift(IncidentTarget target, String subject) implements IncidentChange {
    /**
     * Checks the components.
     *
     * @param target what kind of subject it frees
     * @param subject the principal id, key id or address
     * @throws IllegalArgumentException when {@code subject} does not match {@link #SUBJECT}
     */
    public Lift {
      Objects.requireNonNull(target, "target");
      checkSubject(subject);
    }
  }

  /**
   * Puts the service into, or out of, lockdown.
   *
   * @param mode the new mode; {@link LockdownMode#OFF} ends a lockdown
   */
  record Lockdown(LockdownMode mode) implements IncidentChange {
    /**
     * Checks the mode is given.
     *
     * @param mode the new mode
     */
    public Lockdown {
      Objects.requireNonNull(mode, "mode");
    }
  }

  private static void checkSubject(String subject) {
    Objects.requireNonNull(subject, "subject");
    if (!SUBJECT.matcher(subject).matches()) {
      throw new IllegalArgumentException("subject must be 1 to 256 printable characters without spaces");
    }
  }
}

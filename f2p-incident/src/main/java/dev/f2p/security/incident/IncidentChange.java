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

  /** Until then, nothing may pass for {@code subject}; {@link Instant#MAX} means for good (a revocation). */
  record Restrict(IncidentTarget target, String subject, Instant until) implements IncidentChange {
    public Restrict {
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(until, "until");
      checkSubject(subject);
    }
  }

  /** Lifts a restriction early. */
  record Lift(IncidentTarget target, String subject) implements IncidentChange {
    public Lift {
      Objects.requireNonNull(target, "target");
      checkSubject(subject);
    }
  }

  /** Puts the service into, or out of, lockdown. */
  record Lockdown(LockdownMode mode) implements IncidentChange {
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

package dev.f2p.redis;

/**
 * What an instance does while Redis, the shared state, cannot be reached. Either way one
 * {@link dev.f2p.core.Severity#CRITICAL CRITICAL} event says so, and the instance returns to the shared
 * state by itself when Redis answers again.
 */
public enum FailureMode {
  /**
   * Refuse: the rate limiter answers {@link dev.f2p.core.ReasonCode#OVERLOADED OVERLOADED} with a
   * retry-after (detail {@code SHARED_STATE_UNAVAILABLE}), lockout reads report every subject locked, and
   * the incident store reports a lockdown for everyone. Nothing passes that the shared state might refuse.
   */
  FAIL_CLOSED,
  /**
   * Go on alone: the rate limiter applies each instance's share of every limit ({@code limit / instances},
   * at least 1) in a bounded local store, lockouts are counted per instance, and incident reads use the
   * last snapshot received (changes cannot be made until Redis is back).
   */
  LOCAL_FALLBACK
}

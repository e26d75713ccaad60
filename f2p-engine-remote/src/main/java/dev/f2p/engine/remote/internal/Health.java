package dev.f2p.engine.remote.internal;

/**
 * What one health check found, sorted by what it proves: the server answered that it is ready with the
 * pinned model ({@link State#UP}), answered otherwise ({@link State#DOWN}), refused the connection
 * ({@link State#UNREACHABLE}: nothing listens), or gave no answer in time ({@link State#NO_ANSWER}: dead, or
 * only busy, which the endpoint's own traffic tells apart).
 *
 * @param state the verdict
 * @param why for the log when not up (statuses and classes only)
 */
public record Health(State state, String why) {
  /** The verdicts. */
  public enum State {
    /** Ready, serving the pinned model. */
    UP,
    /** Answered: not ready, another model, an error status or an answer that does not parse. */
    DOWN,
    /** The connection was refused or the host is unknown. */
    UNREACHABLE,
    /** No answer within the probe timeout, or the connection broke during the check. */
    NO_ANSWER
  }

  /** Ready with the pinned model. */
  public static final Health UP = new Health(State.UP, "");

  /** The server answered, and not that it is ready with the pinned model. */
  public static Health down(String why) {
    return new Health(State.DOWN, why);
  }

  /** A failed check exchange, sorted as a failed call is. */
  public static Health of(CallException e) {
    State state = switch (e.kind()) {
      case NOT_STARTED -> e.busy() ? State.NO_ANSWER : State.UNREACHABLE;
      case TIMEOUT, FAILED -> State.NO_ANSWER;
      case BAD_ANSWER -> State.DOWN;
    };
    return new Health(state, e.getMessage());
  }
}

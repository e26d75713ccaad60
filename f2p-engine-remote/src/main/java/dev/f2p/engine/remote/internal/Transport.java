package dev.f2p.engine.remote.internal;

import dev.f2p.engine.remote.RemoteEndpoint;
import java.time.Duration;

/**
 * One protocol. Implementations are thread-safe and hold their connections until closed.
 */
public interface Transport extends AutoCloseable {
  /**
   * Runs one edit on one endpoint.
   *
   * @return the answer's image bytes, at most the configured answer size, not yet checked
   */
  byte[] edit(RemoteEndpoint endpoint, Call call) throws CallException;

  /**
   * Whether the endpoint is ready and serves the pinned model, on connections of the checks' own (never
   * queued behind the requests').
   *
   * @return what the check found; never throws
   */
  Health probe(RemoteEndpoint endpoint, Duration timeout);

  @Override
  void close();
}

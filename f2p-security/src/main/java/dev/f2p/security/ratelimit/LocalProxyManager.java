package dev.f2p.security.ratelimit;

import dev.f2p.security.internal.CallerMap;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.proxy.AbstractProxyManager;
import io.github.bucket4j.distributed.proxy.ClientSideConfig;
import io.github.bucket4j.distributed.remote.CommandResult;
import io.github.bucket4j.distributed.remote.MutableBucketEntry;
import io.github.bucket4j.distributed.remote.RemoteBucketState;
import io.github.bucket4j.distributed.remote.Request;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A Bucket4j {@link io.github.bucket4j.distributed.proxy.ProxyManager} whose "remote" storage is a
 * bounded {@link CallerMap} in this JVM: the local store runs the very code path a Redis or JDBC back end
 * runs (commands executed against a bucket entry), so the limiter is tested against a real
 * {@link io.github.bucket4j.distributed.BucketProxy}.
 *
 * <p>Why a proxy manager rather than one Bucket4j local bucket per caller: a local bucket carries five
 * view objects and its own configuration, about 300 bytes per caller with the map; here a caller costs
 * only its bucket state (about 240 bytes with the map), and the proxy objects are short-lived garbage of
 * each call. Thread-safe: each entry's commands run under the entry's monitor.
 */
final class LocalProxyManager extends AbstractProxyManager<String> {
  private final CallerMap<Entry> entries;

  LocalProxyManager(CallerMap<Entry> entries, TimeMeter clock) {
    super(ClientSideConfig.getDefault().withClientClock(clock));
    this.entries = entries;
  }

  @Override
  protected <T> CommandResult<T> execute(String key, Request<T> request) {
    Entry entry = entries.getOrCreate(key, k -> new Entry());
    synchronized (entry) {
      MutableBucketEntry mutable = new MutableBucketEntry(entry.state);
      CommandResult<T> result = request.getCommand().execute(mutable, currentTimeNanos());
      if (mutable.isStateModified()) {
        entry.state = mutable.get();
      }
      return result;
    }
  }

  @Override
  protected <T> CompletableFuture<CommandResult<T>> executeAsync(String key, Request<T> request) {
    return CompletableFuture.completedFuture(execute(key, request));
  }

  @Override
  protected CompletableFuture<Void> removeAsync(String key) {
    removeProxy(key);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void removeProxy(String key) {
    Entry entry = entries.peek(key);
    if (entry != null) {
      synchronized (entry) {
        entry.state = null;
      }
    }
  }

  @Override
  public boolean isAsyncModeSupported() {
    return false;
  }

  /** One caller's bucket state; {@code null} until its first request creates it. */
  static final class Entry extends CallerMap.Tracked {
    @Nullable RemoteBucketState state;
  }
}

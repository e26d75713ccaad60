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
  private final CallerMap<Entry> principals;
  private final CallerMap<Entry> addresses;
  private final TimeMeter clock;

  /** One map for every key. */
  LocalProxyManager(CallerMap<Entry> entries, TimeMeter clock) {
    this(entries, entries, clock);
  }

  /**
   * Address keys ({@code a:...}) in {@code addresses}, every other key in {@code principals}: bounded
   * apart, so a flood of addresses can never crowd out a principal's bucket.
   */
  LocalProxyManager(CallerMap<Entry> principals, CallerMap<Entry> addresses, TimeMeter clock) {
    super(ClientSideConfig.getDefault().withClientClock(clock));
    this.principals = principals;
    this.addresses = addresses;
    this.clock = clock;
  }

  private CallerMap<Entry> side(String key) {
    return key.startsWith("a:") ? addresses : principals;
  }

  @Override
  protected <T> CommandResult<T> execute(String key, Request<T> request) {
    return side(key).withEntry(key, k -> new Entry(), entry -> {
      long nanos = currentTimeNanos();
      MutableBucketEntry mutable = new MutableBucketEntry(entry.state);
      CommandResult<T> result = request.getCommand().execute(mutable, nanos);
      if (mutable.isStateModified()) {
        entry.state = mutable.get();
      }
      // From when the bucket is full again: only then may it be forgotten (it would come back the same).
      RemoteBucketState state = entry.state;
      long millis = nanos / 1_000_000;
      entry.freshAt(state == null ? millis : millis + (state.calculateFullRefillingTime(nanos) + 999_999) / 1_000_000);
      return result;
    });
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
    Entry entry = side(key).peek(key);
    if (entry != null) {
      synchronized (entry) {
        entry.state = null;
        entry.freshAt(clock.currentTimeNanos() / 1_000_000);
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

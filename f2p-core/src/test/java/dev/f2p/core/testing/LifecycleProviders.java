package dev.f2p.core.testing;

import dev.f2p.core.spi.ImageEditEngine;
import dev.f2p.core.spi.ImageEditEngineProvider;
import dev.f2p.core.spi.PolicySettings;
import dev.f2p.core.spi.PromptFilter;
import dev.f2p.core.spi.PromptFilterProvider;
import dev.f2p.core.spi.SecurityEventListener;
import dev.f2p.core.spi.SecurityEventListenerProvider;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** Providers that count what they build and close, for the build-failure tests. */
public final class LifecycleProviders {
  /** Policies these providers made. */
  public static final AtomicInteger CREATED = new AtomicInteger();
  /** Of those, how many were closed. */
  public static final AtomicInteger CLOSED = new AtomicInteger();

  private LifecycleProviders() {}

  /** {@code threaded}: a listener that runs a thread named {@code f2p-test-threaded} until closed. */
  public static final class Threaded implements SecurityEventListenerProvider {
    @Override
    public String name() {
      return "threaded";
    }

    @Override
    public SecurityEventListener create(PolicySettings settings) {
      CREATED.incrementAndGet();
      return new ThreadedListener();
    }
  }

  /** A listener owning a thread, as an incident journal or a metrics reporter would. */
  static final class ThreadedListener implements SecurityEventListener, AutoCloseable {
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread thread = new Thread(() -> {
      try {
        stop.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "f2p-test-threaded");

    ThreadedListener() {
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public void onEvent(dev.f2p.core.SecurityEvent event) {}

    @Override
    public void close() throws InterruptedException {
      stop.countDown();
      thread.join();
      CLOSED.incrementAndGet();
    }
  }

  /** {@code failing}: an engine whose load fails, after the other policies were built. */
  public static final class Failing implements ImageEditEngineProvider {
    @Override
    public String name() {
      return "failing";
    }

    @Override
    public Set<String> settingNames(PolicySettings settings) {
      return Set.of("reason");
    }

    @Override
    public ImageEditEngine create(PolicySettings settings) {
      throw new IllegalStateException("cannot load: " + settings.get("reason", "no reason"));
    }
  }

  /** {@code counted}: a prompt filter that counts how often it is built and closed. */
  public static final class Counted implements PromptFilterProvider {
    @Override
    public String name() {
      return "counted";
    }

    @Override
    public PromptFilter create(PolicySettings settings) {
      CREATED.incrementAndGet();
      return new CountedFilter();
    }
  }

  static final class CountedFilter implements PromptFilter, AutoCloseable {
    @Override
    public dev.f2p.core.spi.Decision<String> check(String prompt, dev.f2p.core.Principal principal) {
      return dev.f2p.core.spi.Decision.allow(prompt);
    }

    @Override
    public void close() {
      CLOSED.incrementAndGet();
    }
  }

  /** {@code undeclared}: a prompt filter that reads a setting it forgot to declare. */
  public static final class Undeclared implements PromptFilterProvider {
    @Override
    public String name() {
      return "undeclared";
    }

    @Override
    public Set<String> settingNames(PolicySettings settings) {
      return Set.of("declared");
    }

    @Override
    public PromptFilter create(PolicySettings settings) {
      settings.get("forgotten");
      return PromptFilter.acceptAll();
    }
  }
}

package dev.f2p.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.f2p.core.EditRequest;
import dev.f2p.core.Principal;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.GuardMetrics;
import dev.f2p.core.spi.Lease;
import dev.f2p.core.spi.ResourceGuard;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * A JUnit 5 extension that fails a test which leaves behind what it acquired: leases taken through a
 * guard it {@link #track tracks}, threads it started that are still alive (after a short grace for
 * threads that are ending), native DJL arrays (the root {@code NDManager}'s managed array count, compared
 * before and after; only when DJL is on the class path, read by reflection so this module does not
 * depend on DJL), and ERROR log lines it did not expect ({@link ExpectedErrorLogs}; only when SLF4J is
 * bound to Logback). Every finding is reported in one failure.
 *
 * <p>Use it with {@code @ExtendWith(LeakCheck.class)}, or as a field
 * {@code @RegisterExtension final LeakCheck leaks = new LeakCheck();} to {@link #track} a guard.
 * One instance per test class; not for tests that run concurrently in one JVM (threads and logs are
 * global).
 */
public final class LeakCheck implements BeforeEachCallback, AfterEachCallback {
  private static final long THREAD_GRACE_MILLIS = 2_000;
  /** Threads the JVM or a shared pool starts on its own, whichever test triggers them first. */
  private static final Pattern JVM_THREADS = Pattern.compile(
      "ForkJoinPool\\.commonPool-worker-\\d+|process reaper|Common-Cleaner|Attach Listener|Signal Dispatcher"
          + "|Java2D Disposer|AWT-.*|Image Fetcher \\d+|surefire-forkedjvm-.*|JNA Cleaner|Timer-\\d+");

  private final AtomicInteger openLeases = new AtomicInteger();
  private Set<Thread> threadsBefore = Set.of();
  private long arraysBefore = -1;
  /** The ERROR lines captured during the current test; null when SLF4J is not bound to Logback. */
  private @Nullable ListAppender<ILoggingEvent> errors;

  /** An extension with nothing tracked yet. */
  public LeakCheck() {}

  /**
   * Wraps a guard so this check counts the leases taken through it until each is closed.
   *
   * @param guard the guard under test
   * @return a guard that admits as {@code guard} does
   */
  public ResourceGuard track(ResourceGuard guard) {
    return new ResourceGuard() {
      @Override
      public Decision<Lease> acquire(Principal principal, EditRequest request) {
        Decision<Lease> d = guard.acquire(principal, request);
        if (d instanceof Decision.Allowed<Lease> allowed) {
          openLeases.incrementAndGet();
          return Decision.allow(new Counted(allowed.value()));
        }
        return d;
      }

      @Override
      public Optional<GuardMetrics> metrics() {
        return guard.metrics();
      }
    };
  }

  /**
   * Leases taken through {@link #track tracked} guards and not yet closed.
   *
   * @return the number open now
   */
  public int openLeases() {
    return openLeases.get();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    openLeases.set(0);
    threadsBefore = new HashSet<>(Thread.getAllStackTraces().keySet());
    arraysBefore = nativeArrays();
    errors = captureErrors();
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    List<String> findings = new ArrayList<>();
    if (openLeases.get() != 0) {
      findings.add(openLeases.get() + " lease(s) not released");
    }
    List<String> threads = threadsLeft();
    if (!threads.isEmpty()) {
      findings.add("thread(s) still running: " + threads);
    }
    long arrays = nativeArrays();
    if (arraysBefore >= 0 && arrays > arraysBefore) {
      findings.add((arrays - arraysBefore) + " native DJL array(s) left open");
    }
    if (errors != null) {
      detach(errors);
      Set<String> allowed = allowedLoggers(context);
      for (ILoggingEvent e : errors.list) {
        if (allowed.stream().noneMatch(a -> e.getLoggerName().equals(a) || (a.endsWith(".") && e.getLoggerName().startsWith(a)))) {
          findings.add("unexpected ERROR from " + e.getLoggerName() + ": " + e.getMessage());
        }
      }
    }
    if (!findings.isEmpty()) {
      throw new AssertionError(context.getDisplayName() + " left behind: " + String.join("; ", findings));
    }
  }

  private List<String> threadsLeft() throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(THREAD_GRACE_MILLIS);
    List<String> left = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (threadsBefore.contains(t) || JVM_THREADS.matcher(t.getName()).matches()) {
        continue;
      }
      t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
      if (t.isAlive()) {
        left.add(t.getName());
      }
    }
    return left;
  }

  private static Set<String> allowedLoggers(ExtensionContext context) {
    Set<String> allowed = new HashSet<>();
    for (AnnotatedElement e : new AnnotatedElement[] {context.getRequiredTestClass(),
        context.getTestMethod().map(m -> (AnnotatedElement) m).orElse(null)}) {
      ExpectedErrorLogs expected = e == null ? null : e.getAnnotation(ExpectedErrorLogs.class);
      if (expected != null) {
        allowed.addAll(List.of(expected.value()));
      }
    }
    return allowed;
  }

  /** The root NDManager's array count, or -1 when DJL is absent or cannot tell. */
  private static long nativeArrays() {
    try {
      ClassLoader loader = LeakCheck.class.getClassLoader();
      Class<?> type = Class.forName("ai.djl.ndarray.NDManager", false, loader);
      // The count lives on the root manager, a BaseNDManager (the interface does not declare it).
      Method arrays = Class.forName("ai.djl.ndarray.BaseNDManager", false, loader).getMethod("getManagedArrays");
      Object base = type.getMethod("newBaseManager").invoke(null);
      try {
        Object root = type.getMethod("getParentManager").invoke(base);
        return ((Collection<?>) arrays.invoke(root)).size();
      } finally {
        ((AutoCloseable) base).close();
      }
    } catch (ClassNotFoundException e) {
      return -1;
    } catch (Exception | LinkageError e) {
      // DJL is there but no engine could start: nothing native can have been made either.
      return -1;
    }
  }

  private static @Nullable ListAppender<ILoggingEvent> captureErrors() {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return null;
    }
    ListAppender<ILoggingEvent> appender = new ListAppender<>() {
      @Override
      protected void append(ILoggingEvent event) {
        if (event.getLevel().isGreaterOrEqual(Level.ERROR)) {
          super.append(event);
        }
      }
    };
    appender.setContext(context);
    appender.setName("f2p-leak-check");
    appender.start();
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
    return appender;
  }

  private static void detach(ListAppender<ILoggingEvent> appender) {
    ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(appender);
    appender.stop();
  }

  /** A lease that tells this check when it is closed (once, however often close is called). */
  private final class Counted implements Lease {
    private final Lease lease;
    private final AtomicBoolean closed = new AtomicBoolean();

    Counted(Lease lease) {
      this.lease = lease;
    }

    @Override
    public Instant deadline() {
      return lease.deadline();
    }

    @Override
    public java.util.OptionalInt device() {
      return lease.device();
    }

    @Override
    public void engineSucceeded() {
      lease.engineSucceeded();
    }

    @Override
    public void engineFailed() {
      lease.engineFailed();
    }

    @Override
    public void close() {
      try {
        lease.close();
      } finally {
        if (closed.compareAndSet(false, true)) {
          openLeases.decrementAndGet();
        }
      }
    }
  }
}

package dev.f2p.testing;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.f2p.core.EditRequest;
import dev.f2p.core.Principal;
import dev.f2p.core.Role;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.Lease;
import dev.f2p.core.spi.ResourceGuard;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/** The check fails a test for each kind of leftover, and passes a clean one. */
class LeakCheckTest {
  private static final Principal ALICE = new Principal("alice", Set.of(Role.USER), "f2p_alice");

  /** Just what the check reads from JUnit's context. */
  private static ExtensionContext context(Class<?> testClass) {
    return (ExtensionContext) Proxy.newProxyInstance(LeakCheckTest.class.getClassLoader(),
        new Class<?>[] {ExtensionContext.class}, (proxy, method, args) -> switch (method.getName()) {
          case "getDisplayName" -> "the test";
          case "getRequiredTestClass" -> testClass;
          case "getTestMethod" -> Optional.empty();
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }

  private static Decision.Allowed<Lease> acquire(ResourceGuard guard) {
    return (Decision.Allowed<Lease>) guard.acquire(ALICE, EditRequest.builder().clientAddress("203.0.113.7").build());
  }

  @Test
  void aCleanTestPasses() throws Exception {
    LeakCheck check = new LeakCheck();
    ExtensionContext c = context(LeakCheckTest.class);
    check.beforeEach(c);
    ResourceGuard guard = check.track(ResourceGuard.unguarded(Duration.ofSeconds(1), Clock.systemUTC()));
    try (Lease lease = acquire(guard).value()) {
      lease.deadline();
    }
    assertThatCode(() -> check.afterEach(c)).doesNotThrowAnyException();
  }

  @Test
  void anUnreleasedLeaseFails() throws Exception {
    LeakCheck check = new LeakCheck();
    ExtensionContext c = context(LeakCheckTest.class);
    check.beforeEach(c);
    acquire(check.track(ResourceGuard.unguarded(Duration.ofSeconds(1), Clock.systemUTC())));
    assertThatThrownBy(() -> check.afterEach(c)).hasMessageContaining("1 lease(s) not released");
  }

  @Test
  void aThreadLeftRunningFails() throws Exception {
    LeakCheck check = new LeakCheck();
    ExtensionContext c = context(LeakCheckTest.class);
    check.beforeEach(c);
    CountDownLatch stop = new CountDownLatch(1);
    Thread t = new Thread(() -> {
      try {
        stop.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "left-behind");
    t.start();
    try {
      assertThatThrownBy(() -> check.afterEach(c)).hasMessageContaining("thread(s) still running: [left-behind]");
    } finally {
      stop.countDown();
      t.join();
    }
  }

  @Test
  void anUnexpectedErrorLogFailsAndAnExpectedOneDoesNot() throws Exception {
    LeakCheck check = new LeakCheck();
    ExtensionContext c = context(LeakCheckTest.class);
    check.beforeEach(c);
    LoggerFactory.getLogger("some.component").error("it broke");
    assertThatThrownBy(() -> check.afterEach(c)).hasMessageContaining("unexpected ERROR from some.component: it broke");

    ExtensionContext expecting = context(Expecting.class);
    check.beforeEach(expecting);
    LoggerFactory.getLogger("some.component").error("it broke on purpose");
    assertThatCode(() -> check.afterEach(expecting)).doesNotThrowAnyException();
  }

  @ExpectedErrorLogs("some.")
  static final class Expecting {}
}

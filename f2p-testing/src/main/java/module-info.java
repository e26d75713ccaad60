/** Shared test fixtures and the {@code LeakCheck} JUnit 5 extension; for test scope only. */
module dev.f2p.testing {
  requires transitive dev.f2p.core;
  requires transitive org.junit.jupiter.api;
  requires ch.qos.logback.classic;
  requires ch.qos.logback.core;
  requires static org.jspecify;

  exports dev.f2p.testing;
}

package dev.f2p.redis;

import dev.f2p.testing.RedisServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** One real {@link RedisServer} for a test class: {@code @RegisterExtension static final RedisServerExtension redis}. */
final class RedisServerExtension implements BeforeAllCallback, AfterAllCallback {
  private RedisServer server;

  @Override
  public void beforeAll(ExtensionContext context) {
    server = RedisServer.start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    server.close();
  }

  RedisServer server() {
    return server;
  }

  String uri() {
    return server.uri();
  }
}

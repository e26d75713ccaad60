package dev.f2p.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;

/** A plain connection for tests to look at what is in Redis; closing it shuts its client down. */
final class RedisInspector implements AutoCloseable {
  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;

  RedisInspector(String uri) {
    this.client = RedisClient.create(uri);
    this.connection = client.connect();
  }

  StatefulRedisConnection<String, String> connection() {
    return connection;
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown();
  }
}

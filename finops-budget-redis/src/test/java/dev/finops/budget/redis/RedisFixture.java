package dev.finops.budget.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** A test class's own redis-server (skipped where absent, see {@link RedisServer}) and a raw client on it. */
abstract class RedisFixture {
  static RedisServer server;
  static RedisClient raw;
  static RedisCommands<String, String> redis;

  @BeforeAll
  static void start() throws Exception {
    server = RedisServer.start();
    raw = RedisClient.create(server.uri());
    redis = raw.connect().sync();
  }

  @AfterAll
  static void stop() throws Exception {
    if (raw != null) {
      raw.shutdown();
      raw = null;
    }
    if (server != null) {
      server.close();
      server = null;
    }
  }
}

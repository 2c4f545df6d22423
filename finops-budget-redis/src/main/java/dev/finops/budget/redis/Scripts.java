package dev.finops.budget.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.LongAdder;

/** The Lua scripts of {@link RedisBudgetStore} (resources next to this class), each with the shared prelude. */
final class Scripts {
  static final Script RESERVE = new Script("reserve.lua");
  static final Script APPLY = new Script("apply.lua");
  static final Script READ = new Script("read.lua");
  static final Script SWEEP = new Script("sweep.lua");
  static final Script FORGET = new Script("forget.lua");
  static final Script LEASE = new Script("lease.lua");

  private Scripts() {}

  /** One script: run by its SHA-1, loaded again when Redis has lost it (a restart flushes the script cache). */
  static final class Script {
    final String source;
    final String sha;

    Script(String name) {
      this.source = load("prelude.lua") + "\n" + load(name);
      this.sha = sha1(source);
    }

    <T> T eval(RedisCommands<String, String> redis, LongAdder calls, ScriptOutputType type, String[] keys,
        String... args) {
      calls.increment();
      try {
        return redis.evalsha(sha, type, keys, args);
      } catch (RedisNoScriptException e) {
        calls.increment();
        return redis.eval(source, type, keys, args);
      }
    }

    private static String load(String name) {
      try (InputStream in = Scripts.class.getResourceAsStream(name)) {
        if (in == null) {
          throw new IllegalStateException("missing script resource " + name);
        }
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static String sha1(String s) {
      try {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}

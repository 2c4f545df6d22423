package dev.finops.budget.redis;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real redis-server on a free port with its own temp directory (append-only file on), started and
 * stopped by the test. Where redis-server is not installed, tests skip with the reason, unless
 * FINOPS_REQUIRE_REDIS=true (CI), which turns the skip into a failure.
 */
final class RedisServer implements AutoCloseable {
  final int port;
  final Path dir;
  private Process process;

  private RedisServer(int port, Path dir) {
    this.port = port;
    this.dir = dir;
  }

  static String executable() {
    for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      File f = new File(d, "redis-server");
      if (f.canExecute()) {
        return f.getPath();
      }
    }
    return null;
  }

  /** Starts one, or skips (fails under FINOPS_REQUIRE_REDIS=true) when redis-server is absent. */
  static RedisServer start() throws Exception {
    if (executable() == null) {
      String reason = "redis-server is not on the PATH (apt-get install redis-server)";
      if (Boolean.parseBoolean(System.getenv("FINOPS_REQUIRE_REDIS"))) {
        fail(reason + ", and FINOPS_REQUIRE_REDIS=true");
      }
      assumeTrue(false, reason);
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    RedisServer r = new RedisServer(port, Files.createTempDirectory("finops-redis"));
    r.up();
    return r;
  }

  /** Starts (again, on the same port and data: a restart reloads the append-only file). */
  void up() throws Exception {
    process = new ProcessBuilder(List.of(executable(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--dir", dir.toString(), "--appendonly", "yes", "--appendfsync", "always", "--save", "",
        "--daemonize", "no", "--protected-mode", "no"))
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("redis.log").toFile())
        .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        s.getOutputStream().write("PING\r\n".getBytes());
        byte[] buf = new byte[7];
        int n = s.getInputStream().read(buf);
        if (n > 0 && new String(buf, 0, n).startsWith("+PONG")) {
          return;
        }
      } catch (IOException e) {
        // not up yet
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("redis-server did not start on port " + port + ": "
        + Files.readString(dir.resolve("redis.log")));
  }

  /** Stops it the way an operator would (SIGTERM: Redis flushes the append-only file and exits). */
  void down() throws InterruptedException {
    if (process != null) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
      process = null;
    }
  }

  String uri() {
    return "redis://127.0.0.1:" + port;
  }

  @Override
  public void close() throws Exception {
    down();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    }
  }
}

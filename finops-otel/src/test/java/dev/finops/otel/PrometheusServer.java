package dev.finops.otel;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real {@code prometheus} from the PATH, scraping one target every second, on a free port with a
 * temporary directory; closed by the test. Absent, the test is skipped with the reason, or fails where
 * {@code FINOPS_REQUIRE_PROMETHEUS=true} (CI).
 */
final class PrometheusServer implements AutoCloseable {
  private static final Duration STARTUP = Duration.ofSeconds(30);

  private final Path workDir;
  private final Process process;
  private final int port;

  private PrometheusServer(Path workDir, Process process, int port) {
    this.workDir = workDir;
    this.process = process;
    this.port = port;
  }

  /** The binary on the PATH; skips (or fails, in CI) the calling test without it. */
  static Path binary(String purpose) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(java.io.File.pathSeparator)) {
      Path candidate = dir.isEmpty() ? null : Path.of(dir, "prometheus");
      if (candidate != null && Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    String reason = "prometheus is not on the PATH (" + path + "); install it (Debian: apt-get install -y "
        + "prometheus) to " + purpose;
    if ("true".equalsIgnoreCase(System.getenv("FINOPS_REQUIRE_PROMETHEUS"))) {
      fail(reason + ", which FINOPS_REQUIRE_PROMETHEUS=true requires");
    }
    Assumptions.abort(reason);
    return null;
  }

  /** Starts {@code binary} scraping {@code 127.0.0.1:targetPort} and waits until it is ready. */
  static PrometheusServer start(Path binary, int targetPort) throws Exception {
    Path dir = Files.createTempDirectory("finops-prometheus");
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, String.join("\n",
        "global:",
        "  scrape_interval: 1s",
        "  evaluation_interval: 1s",
        "scrape_configs:",
        "  - job_name: finops",
        "    static_configs:",
        "      - targets: ['127.0.0.1:" + targetPort + "']",
        ""));
    int port = freePort();
    Path log = dir.resolve("prometheus.log");
    Process p = new ProcessBuilder(binary.toString(), "--config.file=" + config,
        "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    PrometheusServer server = new PrometheusServer(dir, p, port);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + STARTUP.toNanos();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        String out = Files.readString(log);
        server.close();
        fail("prometheus exited with " + p.exitValue() + ":\n" + out);
      }
      if (ready(http, port)) {
        return server;
      }
      Thread.sleep(100);
    }
    String out = Files.readString(log);
    server.close();
    fail("prometheus was not ready within " + STARTUP + ":\n" + out);
    return null;
  }

  int port() {
    return port;
  }

  private static boolean ready(HttpClient http, int port) throws InterruptedException {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/ready"))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException notYet) {
      return false;
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    try (Stream<Path> files = Files.walk(workDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}

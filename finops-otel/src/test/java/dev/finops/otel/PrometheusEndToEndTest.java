package dev.finops.otel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.finops.core.FinOps;
import dev.finops.core.Money;
import dev.finops.core.TokenConventions;
import dev.finops.core.ledger.LedgerSnapshot;
import io.opentelemetry.exporter.prometheus.PrometheusHttpServer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * End to end against a real Prometheus server: an example application exposes its cost metrics with
 * the OpenTelemetry Prometheus exporter, Prometheus scrapes it every second, and the cost summed by
 * team through Prometheus' query API equals the ledger's exact totals.
 *
 * <p>Needs {@code prometheus} on the PATH (Debian: {@code apt-get install -y prometheus}); without it
 * the test is skipped, unless {@code FINOPS_REQUIRE_PROMETHEUS=true} (as in CI), which makes it fail.
 */
class PrometheusEndToEndTest {
  private static final Duration SCRAPED = Duration.ofSeconds(60);
  private static final String QUERY = "sum by (finops_team) (finops_cost_nanos_total)";

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final ObjectMapper json = new ObjectMapper();
  private PrometheusServer prometheus;
  private SdkMeterProvider meterProvider;

  // ---- the example application ------------------------------------------------------------------

  interface Assistant {
    @CostTracked(model = "gpt-4o-mini", provider = "openai", tags = {"team=nlp", "project=search"})
    String search(long inputTokens, long cachedTokens, long outputTokens);

    @CostTracked(model = "gpt-4o", provider = "openai", tags = {"team=vision", "project=captions"})
    String caption(long inputTokens, long cachedTokens, long outputTokens);

    @CostTracked(model = "claude-sonnet-4-5", provider = "anthropic", tags = {"team=support", "project=triage"})
    String triage(long inputTokens, long cachedTokens, long outputTokens);
  }

  /** Reports the counts it is given, as a client would report its provider's response. */
  static final class EchoAssistant implements Assistant {
    private static String report(long input, long cached, long output) {
      CostContext.current().addUsage(TokenConventions.fromInclusive(input, output, cached, 0, 0));
      return "ok";
    }

    @Override
    public String search(long input, long cached, long output) {
      return report(input, cached, output);
    }

    @Override
    public String caption(long input, long cached, long output) {
      return report(input, cached, output);
    }

    @Override
    public String triage(long input, long cached, long output) {
      return report(input, cached, output);
    }
  }

  /** A few hundred calls of three teams with seeded random token counts. */
  private static void runWorkload(Assistant assistant) {
    Random random = new Random(42);
    for (int i = 0; i < 300; i++) {
      long input = 100 + random.nextInt(20_000);
      long cached = random.nextInt((int) input);
      long output = 1 + random.nextInt(2_000);
      switch (i % 3) {
        case 0:
          assistant.search(input, cached, output);
          break;
        case 1:
          assistant.caption(input, cached, output);
          break;
        default:
          assistant.triage(input, cached, output);
          break;
      }
    }
  }

  // ---- the test -----------------------------------------------------------------------------------

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void cost_summed_by_team_in_prometheus_equals_the_ledger() throws Exception {
    Path binary = PrometheusServer.binary("run this end-to-end test");
    int exporterPort = PrometheusServer.freePort();
    meterProvider = SdkMeterProvider.builder()
        .registerMetricReader(PrometheusHttpServer.builder().setHost("127.0.0.1").setPort(exporterPort).build())
        .build();
    OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setMeterProvider(meterProvider).build();
    FinOps finops = FinOps.builder().build();
    FinOpsTelemetry telemetry = FinOpsTelemetry.create(sdk, finops);
    runWorkload(telemetry.wrap(Assistant.class, new EchoAssistant()));

    Map<String, BigDecimal> ledgerNanos = ledgerNanosByTeam(finops.snapshot());
    assertThat(ledgerNanos).containsOnlyKeys("nlp", "vision", "support");

    prometheus = PrometheusServer.start(binary, exporterPort);
    int prometheusPort = prometheus.port();
    Map<String, BigDecimal> scraped = awaitQuery(prometheusPort, ledgerNanos);

    assertThat(scraped).isEqualTo(ledgerNanos);
    assertThat(ledgerNanos.values()).allSatisfy(v -> assertThat(v.signum()).isPositive());
  }

  /** The ledger's exact cost per team in nano-dollars (a whole number for these catalog prices). */
  private static Map<String, BigDecimal> ledgerNanosByTeam(LedgerSnapshot snapshot) {
    Map<String, BigDecimal> out = new TreeMap<>();
    for (LedgerSnapshot.Totals t : snapshot.totalsBy("team")) {
      Money cost = t.cost();
      out.put(t.group().team(), cost.exactAmount().movePointRight(9).stripTrailingZeros());
    }
    return out;
  }

  /** Polls Prometheus (bounded) until its sum by team matches the expected one or the deadline passes. */
  private Map<String, BigDecimal> awaitQuery(int port, Map<String, BigDecimal> expected) throws Exception {
    long deadline = System.nanoTime() + SCRAPED.toNanos();
    Map<String, BigDecimal> last = Map.of();
    while (System.nanoTime() < deadline) {
      last = query(port);
      if (last.equals(expected)) {
        return last;
      }
      Thread.sleep(250);
    }
    return last; // fails the assertion with both maps in the message
  }

  private Map<String, BigDecimal> query(int port) throws IOException, InterruptedException {
    URI uri = URI.create("http://127.0.0.1:" + port + "/api/v1/query?query="
        + URLEncoder.encode(QUERY, StandardCharsets.UTF_8));
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
    Map<String, BigDecimal> out = new TreeMap<>();
    if (r.statusCode() != 200) {
      return out;
    }
    for (JsonNode series : json.readTree(r.body()).path("data").path("result")) {
      String team = series.path("metric").path("finops_team").asText();
      out.put(team, new BigDecimal(series.path("value").get(1).asText()).stripTrailingZeros());
    }
    return out;
  }

  // ---- Prometheus, started and stopped by the test --------------------------------------------

  @AfterEach
  void stop() throws Exception {
    if (prometheus != null) {
      prometheus.close();
    }
    if (meterProvider != null) {
      meterProvider.close();
    }
  }
}

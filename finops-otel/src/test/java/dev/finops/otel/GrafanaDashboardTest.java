package dev.finops.otel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.finops.core.FinOps;
import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.TokenConventions;
import dev.finops.core.Usage;
import dev.finops.core.budget.Budget;
import dev.finops.core.budget.BudgetManager;
import dev.finops.core.gpu.GpuSample;
import dev.finops.core.gpu.GpuSampleSource;
import dev.finops.core.pricing.Pricing;
import dev.finops.core.pricing.UnknownModelPolicy;
import io.opentelemetry.exporter.prometheus.PrometheusHttpServer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import java.io.IOException;
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
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Grafana dashboard ({@code dashboards/finops-grafana.json}) against a real Prometheus: finops
 * exports cost, request cost, tokens, unpriced usage, GPU gauges and budget gauges through the
 * OpenTelemetry Prometheus exporter, Prometheus scrapes them every second, and every panel query and
 * template-variable query of the dashboard (with Grafana's variables substituted) returns data.
 *
 * <p>Needs {@code prometheus} on the PATH, like {@link PrometheusEndToEndTest}; skipped without it
 * unless {@code FINOPS_REQUIRE_PROMETHEUS=true}.
 */
class GrafanaDashboardTest {
  private static final Path DASHBOARD = Path.of("..", "dashboards", "finops-grafana.json");
  private static final Duration ANSWERED = Duration.ofSeconds(60);
  /** Grafana's variables as a dashboard over all teams and models, a few seconds after the first scrape, sets them. */
  private static final Map<String, String> VARIABLES = Map.of("$__rate_interval", "10s", "$__range", "5m",
      "$team", ".*", "$model", ".*");

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final ObjectMapper json = new ObjectMapper();
  private PrometheusServer prometheus;
  private SdkMeterProvider meterProvider;
  private FinOpsTelemetry telemetry;

  interface Assistant {
    @CostTracked(model = "gpt-4o-mini", provider = "openai", tags = {"team=nlp", "project=search"})
    String search(long inputTokens, long outputTokens);

    @CostTracked(model = "claude-sonnet-4-5", provider = "anthropic", tags = {"team=support", "project=triage"})
    String triage(long inputTokens, long outputTokens);
  }

  static final class EchoAssistant implements Assistant {
    private static String report(long input, long output) {
      CostContext.current().addUsage(TokenConventions.fromInclusive(input, output, 0, 0, 0));
      return "ok";
    }

    @Override
    public String search(long input, long output) {
      return report(input, output);
    }

    @Override
    public String triage(long input, long output) {
      return report(input, output);
    }
  }

  /** One busy GPU and one idle one. */
  static final class TwoGpus implements GpuSampleSource {
    @Override
    public List<GpuSample> latest() {
      long now = System.currentTimeMillis();
      return List.of(GpuSample.builder(0, "GPU-busy", now).gpuUtilization(87).build(),
          GpuSample.builder(1, "GPU-idle", now).gpuUtilization(3).build());
    }

    @Override
    public void addListener(Listener listener) {}

    @Override
    public void removeListener(Listener listener) {}
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void every_panel_and_variable_query_returns_data_from_prometheus() throws Exception {
    JsonNode dashboard = json.readTree(Files.readString(DASHBOARD));
    Map<String, String> queries = panelQueries(dashboard);
    assertThat(queries).hasSizeGreaterThan(10);
    Path binary = PrometheusServer.binary("run the dashboard's queries against it");

    int exporterPort = PrometheusServer.freePort();
    meterProvider = SdkMeterProvider.builder()
        .registerMetricReader(PrometheusHttpServer.builder().setHost("127.0.0.1").setPort(exporterPort).build())
        .build();
    OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setMeterProvider(meterProvider).build();
    FinOps finops = FinOps.builder()
        .pricing(Pricing.builder().unknownModelPolicy(UnknownModelPolicy.RECORD_UNPRICED).build()).build();
    BudgetManager budgets = BudgetManager.builder(finops).build();
    budgets.add(Budget.forTeam("research").limit(Money.usd("50")).daily(ZoneOffset.UTC).build());
    telemetry = FinOpsTelemetry.builder(finops).openTelemetry(sdk).budgets(budgets).gpuSource(new TwoGpus()).build();
    Assistant assistant = telemetry.wrap(Assistant.class, new EchoAssistant());
    prometheus = PrometheusServer.start(binary, exporterPort);
    int prometheusPort = prometheus.port();

    // Traffic over several scrapes, so that rates, quantiles and derivatives have two samples.
    Map<String, String> failing = new LinkedHashMap<>(queries);
    long deadline = System.nanoTime() + ANSWERED.toNanos();
    for (int round = 0; !failing.isEmpty() && System.nanoTime() < deadline; round++) {
      for (int i = 0; i < 20; i++) {
        assistant.search(500 + 37L * i + round, 50 + i);
        assistant.triage(1_500 + 11L * i, 200 + round);
      }
      Tags lab = Tags.builder().team("research").project("training").model("p4d.24xlarge").build();
      telemetry.account(lab, finops.pricing().priceReported("aws", "p4d.24xlarge",
          Usage.builder().gpuMillis(8 * 60_000L).build(), Money.usd("0.65")), System.currentTimeMillis(), true);
      telemetry.record(Tags.builder().team("nlp").build(), "acme", "mystery-1", Usage.ofTokens(100, 10));
      Thread.sleep(500);
      failing.entrySet().removeIf(q -> hasData(prometheusPort, q.getValue()));
    }
    assertThat(failing).as("panel queries without data (metrics Prometheus has: %s)", names(prometheusPort))
        .isEmpty();
    for (String label : List.of("finops_team", "finops_model")) {
      assertThat(labelValues(prometheusPort, label)).as(label).isNotEmpty();
    }
    assertThat(variableNames(dashboard)).contains("team", "model");
  }

  /** Every target of every panel, by "panel title / refId", with the variables substituted. */
  private static Map<String, String> panelQueries(JsonNode dashboard) {
    Map<String, String> out = new LinkedHashMap<>();
    for (JsonNode panel : dashboard.path("panels")) {
      if (panel.path("type").asText().equals("row")) {
        continue;
      }
      assertThat(panel.path("title").asText()).isNotBlank();
      assertThat(panel.path("targets").size()).as(panel.path("title").asText()).isPositive();
      for (JsonNode target : panel.path("targets")) {
        String expr = target.path("expr").asText();
        for (Map.Entry<String, String> v : VARIABLES.entrySet()) {
          expr = expr.replace(v.getKey(), v.getValue());
        }
        assertThat(expr).as("unsubstituted variable").doesNotContain("$");
        out.put(panel.path("title").asText() + " / " + target.path("refId").asText(), expr);
      }
    }
    return out;
  }

  private static List<String> variableNames(JsonNode dashboard) {
    List<String> out = new ArrayList<>();
    dashboard.path("templating").path("list").forEach(v -> out.add(v.path("name").asText()));
    return out;
  }

  private boolean hasData(int port, String query) {
    JsonNode r = get(port, "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
    if (r == null || !r.path("status").asText().equals("success")) {
      return false;
    }
    for (JsonNode series : r.path("data").path("result")) {
      String value = series.path("value").get(1).asText();
      if (!value.equals("NaN")) {
        return true;
      }
    }
    return false;
  }

  private List<String> labelValues(int port, String label) {
    List<String> out = new ArrayList<>();
    JsonNode r = get(port, "/api/v1/label/" + label + "/values?match[]="
        + URLEncoder.encode("finops_cost_nanos_total", StandardCharsets.UTF_8));
    if (r != null) {
      r.path("data").forEach(v -> out.add(v.asText()));
    }
    return out;
  }

  private String names(int port) {
    JsonNode r = get(port, "/api/v1/label/__name__/values");
    return r == null ? "?" : r.path("data").toString();
  }

  private JsonNode get(int port, String pathAndQuery) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? json.readTree(r.body()) : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  @AfterEach
  void stop() throws Exception {
    if (prometheus != null) {
      prometheus.close();
    }
    if (telemetry != null) {
      telemetry.close();
    }
    if (meterProvider != null) {
      meterProvider.close();
    }
  }
}

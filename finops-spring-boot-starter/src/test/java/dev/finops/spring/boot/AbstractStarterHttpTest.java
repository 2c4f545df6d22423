package dev.finops.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.finops.core.FinOps;
import dev.finops.core.ledger.LedgerSnapshot;
import dev.finops.fake.FakeModelServer;
import dev.finops.otel.CostSpanExporter;
import dev.finops.otel.FinOpsTelemetry;
import dev.finops.spring.boot.app.AssistantApp;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.autoconfigure.tracing.SpanExporters;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The starter in a real Spring Boot 3.5 application over HTTP: Spring AI's OpenAI model against the
 * fake model server (3,000 prompt tokens, 2,000 of them cached, 500 completion tokens: exactly
 * $0.0100 a call), Boot's OpenTelemetry tracing with an exporter bean of the application's, Micrometer
 * with Prometheus, the actuator. Subclasses run it at two trace sampling probabilities: the cost must
 * not depend on it.
 */
@SpringBootTest(classes = AssistantApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.ai.openai.api-key=test",
      "spring.ai.openai.chat.options.model=gpt-4o",
      "spring.ai.openai.chat.options.max-tokens=600",
      "spring.ai.retry.max-attempts=1",
      "management.endpoints.web.exposure.include=health,finops,prometheus",
      "finops.request-tags.headers.team=X-Team",
      "finops.request-tags.principal=customer",
      "finops.default-tags.org=acme",
      "finops.budgets[0].scope=team=capped",
      "finops.budgets[0].limit=0.025",
      "finops.budgets[0].window=daily",
      "finops.budgets[0].zone=Europe/Paris",
      "finops.budgets[1].scope=org=acme",
      "finops.budgets[1].limit=1000",
      "finops.budgets[1].window=monthly",
    })
@AutoConfigureObservability // Spring Boot's tests turn metrics export and tracing off otherwise
@DirtiesContext
abstract class AbstractStarterHttpTest {
  static final BigDecimal CALL = new BigDecimal("0.0100");
  /** $0.0100 in nano-dollars. */
  static final long CALL_NANOS = 10_000_000L;
  static final ObjectMapper JSON = new ObjectMapper();
  static final FakeModelServer SERVER;

  static {
    try {
      SERVER = FakeModelServer.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @DynamicPropertySource
  static void modelServer(DynamicPropertyRegistry registry) {
    registry.add("spring.ai.openai.base-url", SERVER::baseUrl);
  }

  @AfterAll
  static void stopServer() {
    // one server per subclass (its own static copy is not possible): calls are counted as deltas instead
  }

  @LocalServerPort
  int port;
  @Autowired
  FinOps finops;
  @Autowired
  FinOpsTelemetry telemetry;
  @Autowired
  InMemorySpanExporter spans;
  @Autowired
  SpanExporters exporters;

  final HttpClient http = HttpClient.newHttpClient();

  HttpResponse<String> get(String path, String team) {
    return get(path, team, null);
  }

  HttpResponse<String> get(String path, String team, String user) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
    if (team != null) {
      b.header("X-Team", team);
    }
    if (user != null) {
      b.header("X-User", user);
    }
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  BigDecimal teamCost(String team) {
    LedgerSnapshot s = finops.snapshot().where("team", team);
    return s.total().records() == 0 ? BigDecimal.ZERO : s.total().cost().exactAmount();
  }

  long teamRecords(String team) {
    return finops.snapshot().where("team", team).total().records();
  }

  /** A stream's observation stops just after the client saw it complete: wait (bounded) for the record. */
  void awaitRecords(String team, long n) {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (teamRecords(team) < n && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
  }

  @Test
  void everySyncAndStreamedCallIsPricedExactlyWhateverTheSampling() {
    int sync = 20;
    int streamed = 5;
    for (int i = 0; i < sync; i++) {
      HttpResponse<String> r = get("/ask", "nlp");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("The answer is 42.");
    }
    assertThat(teamCost("nlp")).isEqualByComparingTo(CALL.multiply(BigDecimal.valueOf(sync)));
    for (int i = 0; i < streamed; i++) {
      assertThat(get("/stream", "nlp").body()).isEqualTo("The answer is 42.");
    }
    awaitRecords("nlp", sync + streamed);
    assertThat(teamRecords("nlp")).isEqualTo(sync + streamed);
    assertThat(teamCost("nlp")).isEqualByComparingTo(CALL.multiply(BigDecimal.valueOf(sync + streamed)));
    assertThat(telemetry.callsWithoutUsage()).isZero();
  }

  @Test
  void aTeamBudgetFromTheRequestHeaderDeniesTheCallThatWouldPassItsLimit() {
    int before = SERVER.callCount();
    assertThat(get("/ask", "capped").statusCode()).isEqualTo(200);
    assertThat(get("/ask", "capped").statusCode()).isEqualTo(200);
    // $0.0200 spent of $0.025: the third call's bound (prompt bytes at the input price + 600 output tokens) does not fit
    HttpResponse<String> third = get("/ask", "capped");
    assertThat(third.statusCode()).isEqualTo(429);
    assertThat(third.body()).contains("team=capped");
    assertThat(SERVER.callCount() - before).isEqualTo(2); // the refused request was never sent
    assertThat(teamCost("capped")).isEqualByComparingTo("0.0200");
    // the same budget holds for @CostTracked beans under the same header
    assertThat(get("/tracked", "capped").statusCode()).isEqualTo(429);
    assertThat(SERVER.callCount() - before).isEqualTo(2);
  }

  @Test
  void theAuthenticatedPrincipalTagsEveryPath() {
    assertThat(get("/ask", "nlp", "acme-corp").statusCode()).isEqualTo(200);
    assertThat(get("/stream", "nlp", "acme-corp").statusCode()).isEqualTo(200);
    assertThat(get("/tracked", "nlp", "acme-corp").statusCode()).isEqualTo(200);
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (finops.snapshot().where("customer", "acme-corp").total().records() < 3 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    LedgerSnapshot acme = finops.snapshot().where("customer", "acme-corp");
    assertThat(acme.total().records()).isEqualTo(3);
    assertThat(acme.total().cost().exactAmount()).isEqualByComparingTo(CALL.multiply(BigDecimal.valueOf(3)));
  }

  @Test
  void aTrackedBeanCallingSpringAiIsCountedOnce() throws Exception {
    int before = SERVER.callCount();
    for (int i = 0; i < 3; i++) {
      assertThat(get("/tracked", "tracked").body()).isEqualTo("The answer is 42.");
    }
    assertThat(get("/tracked-async", "tracked").body()).isEqualTo("The answer is 42.");
    awaitRecords("tracked", 4);
    assertThat(SERVER.callCount() - before).isEqualTo(4);
    assertThat(teamRecords("tracked")).isEqualTo(4);
    assertThat(teamCost("tracked")).isEqualByComparingTo(CALL.multiply(BigDecimal.valueOf(4)));
  }

  @Test
  void theActuatorEndpointAndPrometheusShowTheCostOfTheCallsMade() throws Exception {
    int calls = 7;
    for (int i = 0; i < calls; i++) {
      assertThat(get("/ask", "report").statusCode()).isEqualTo(200);
    }
    BigDecimal expectedTotal = finops.snapshot().total().cost().exactAmount(); // every test's calls so far
    assertThat(expectedTotal.remainder(CALL).signum()).isZero();
    long totalCalls = expectedTotal.divide(CALL).longValueExact();

    JsonNode report = JSON.readTree(get("/actuator/finops", null).body());
    assertThat(report.at("/format").asText()).isEqualTo("finops.cost_report");
    assertThat(new BigDecimal(report.at("/total/lines/0/cost").asText())).isEqualByComparingTo(expectedTotal);
    JsonNode team = null;
    for (JsonNode g : report.at("/groupings/team/groups")) {
      if ("report".equals(g.at("/name").asText())) {
        team = g;
      }
    }
    assertThat(team).isNotNull();
    assertThat(new BigDecimal(team.at("/lines/0/cost").asText()))
        .isEqualByComparingTo(CALL.multiply(BigDecimal.valueOf(calls)));
    assertThat(team.at("/lines/0/requests").asLong()).isEqualTo(calls);
    assertThat(report.at("/budgets")).hasSize(2);
    JsonNode capped = budget(report, "team=capped");
    assertThat(capped.at("/limit").asText()).isEqualTo("0.025");
    assertThat(capped.at("/window").asText()).contains("Europe/Paris");
    assertThat(new BigDecimal(budget(report, "org=acme").at("/spent").asText())).isEqualByComparingTo(expectedTotal);

    String prometheus = get("/actuator/prometheus", null).body();
    assertThat(sum(prometheus, "finops_cost_nanos_total", null)).isEqualTo(totalCalls * CALL_NANOS);
    assertThat(sum(prometheus, "finops_cost_nanos_total", "finops_team=\"report\""))
        .isEqualTo(calls * CALL_NANOS);
    assertThat(prometheus).contains("finops_budget_limit{finops_budget_scope=\"team=capped\"");
  }

  @Test
  void eachSpanIsExportedOnceThroughOneCostExporter() {
    assertThat(exporters.list()).hasSize(1).first().isInstanceOf(CostSpanExporter.class);
    spans.reset();
    for (int i = 0; i < 10; i++) {
      assertThat(get("/ask", "spans").statusCode()).isEqualTo(200);
    }
    awaitRecords("spans", 10);
    List<SpanData> exported = exportedChatSpans(sampledFully() ? 10 : 0);
    Set<String> ids = new HashSet<>();
    for (SpanData s : exported) {
      assertThat(ids.add(s.getSpanId())).as("span %s exported twice", s.getSpanId()).isTrue();
      // the cost the recorder put on the observation, on the span; not priced again by the exporter
      assertThat(s.getAttributes().asMap().toString()).contains("finops.cost.amount=0.01");
    }
    if (sampledFully()) {
      assertThat(exported).hasSize(10);
    }
    assertThat(teamCost("spans")).isEqualByComparingTo(CALL.multiply(BigDecimal.TEN));
  }

  /**
   * The costs of tracked calls are added to their spans at export, off the request thread, by the one
   * cost exporter (on from its first export).
   */
  @Test
  void trackedCallSpansGetTheirCostAtExport() {
    CostSpanExporter exporter = (CostSpanExporter) exporters.list().get(0);
    assertThat(get("/ask", "warmup").statusCode()).isEqualTo(200);
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (spans.getFinishedSpanItems().isEmpty() && System.nanoTime() < deadline) {
      Thread.onSpinWait(); // until the exporter's first export, which turns costs at export on
    }
    long before = exporter.spanCostsAdded();
    for (int i = 0; i < 3; i++) {
      assertThat(get("/tracked", "deferred").statusCode()).isEqualTo(200);
    }
    awaitRecords("deferred", 3);
    if (!sampledFully()) {
      return;
    }
    deadline = System.nanoTime() + 10_000_000_000L;
    while (exporter.spanCostsAdded() - before < 3 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(exporter.spanCostsAdded() - before).isGreaterThanOrEqualTo(3);
    assertThat(spans.getFinishedSpanItems().stream()
        .map(s -> s.getAttributes().asMap().toString())
        .filter(a -> a.contains("finops.team=deferred") && a.contains("finops.cost.amount=0.01")))
        .hasSizeGreaterThanOrEqualTo(3);
    assertThat(telemetry.spanCostsOverflowed()).isZero();
  }

  abstract boolean sampledFully();

  private static JsonNode budget(JsonNode report, String scope) {
    for (JsonNode b : report.at("/budgets")) {
      if (scope.equals(b.at("/scope").asText())) {
        return b;
      }
    }
    throw new AssertionError("no budget " + scope + " in " + report.at("/budgets"));
  }

  private List<SpanData> exportedChatSpans(int atLeast) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (true) {
      List<SpanData> chat = spans.getFinishedSpanItems().stream()
          .filter(s -> s.getName().startsWith("chat "))
          .filter(s -> "spans".equals(s.getAttributes().asMap().entrySet().stream()
              .filter(e -> e.getKey().getKey().equals("finops.team")).map(e -> String.valueOf(e.getValue()))
              .findFirst().orElse(null)))
          .toList();
      if (chat.size() >= atLeast || System.nanoTime() > deadline) {
        return chat;
      }
      Thread.onSpinWait();
    }
  }

  /** Sum of a Prometheus counter's samples, optionally only those whose labels contain {@code label}. */
  static long sum(String exposition, String name, String label) {
    Matcher m = Pattern.compile("(?m)^" + name + "\\{([^}]*)\\} (\\S+)$").matcher(exposition);
    BigDecimal total = BigDecimal.ZERO;
    while (m.find()) {
      if (label == null || m.group(1).contains(label)) {
        total = total.add(new BigDecimal(m.group(2)));
      }
    }
    return total.longValueExact();
  }
}

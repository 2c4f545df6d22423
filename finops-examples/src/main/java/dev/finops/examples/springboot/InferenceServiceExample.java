package dev.finops.examples.springboot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.finops.core.budget.BudgetException;
import dev.finops.fake.FakeModelServer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring Boot inference service with Spring AI and the finops starter, offline: nothing of finops in
 * the code but the dependency and a few {@code finops.*} properties. The example starts a {@link
 * FakeModelServer} (answers like OpenAI's API, with known usage: no API key, no network), boots the
 * service on a free port, sends it requests as two teams would (the {@code X-Team} header), and reads
 * {@code GET /actuator/finops}: every call at its exact cost (3,000 prompt tokens of which 2,000 cached,
 * 500 completion tokens of gpt-4o-2024-08-06 = $0.0100), whatever the trace sampling, and the team
 * {@code interns}' $0.025 daily budget refusing the call that would pass it, before it is sent.
 *
 * <pre>
 * mvn -q -B -DskipTests package
 * java -Dsun.net.httpserver.nodelay=true \
 *     -cp "finops-examples/target/finops-examples-0.1.0-SNAPSHOT.jar:finops-examples/target/lib/*" \
 *     dev.finops.examples.springboot.InferenceServiceExample
 * </pre>
 */
@SpringBootApplication
public class InferenceServiceExample {

  /** The service's configuration, as it would stand in its application.yml. */
  static Map<String, Object> properties(String modelServer) {
    return Map.ofEntries(
        Map.entry("server.port", "0"),
        Map.entry("spring.main.banner-mode", "off"),
        Map.entry("spring.ai.openai.base-url", modelServer),
        Map.entry("spring.ai.openai.api-key", "not-needed-offline"),
        Map.entry("spring.ai.openai.chat.options.model", "gpt-4o"),
        Map.entry("spring.ai.openai.chat.options.max-tokens", "600"),
        Map.entry("management.endpoints.web.exposure.include", "finops,prometheus"),
        Map.entry("management.tracing.sampling.probability", "0.1"),     // Boot's default: priced all the same
        Map.entry("finops.default-tags.project", "helpdesk"),
        Map.entry("finops.request-tags.headers.team", "X-Team"),
        Map.entry("finops.budgets[0].scope", "team=interns"),
        Map.entry("finops.budgets[0].limit", "0.025"),
        Map.entry("finops.budgets[0].window", "daily"),
        Map.entry("finops.budgets[0].zone", "Europe/Paris"));
  }

  @RestController
  static class AskController {
    private final ChatClient chat;

    AskController(ChatClient.Builder chat) {
      this.chat = chat.build();
    }

    @GetMapping("/ask")
    String ask(@RequestParam(name = "q", defaultValue = "What is six times seven?") String q) {
      return chat.prompt(q).call().content();
    }

    @GetMapping("/ask/stream")
    String stream(@RequestParam(name = "q", defaultValue = "What is six times seven?") String q) {
      return String.join("", chat.prompt(q).stream().content().collectList().block());
    }

    @ExceptionHandler(BudgetException.class)
    ResponseEntity<String> overBudget(BudgetException e) {
      return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).body(e.getMessage());
    }
  }

  /** One request the example sent, and how the service answered. */
  public record Request(String team, String path, int status) {}

  /** What the example saw: its requests, the model server's call count and {@code /actuator/finops}. */
  public record Result(List<Request> requests, int modelCalls, JsonNode report) {
    /** The cost of a team from the endpoint's team grouping, or zero. */
    public BigDecimal teamCost(String team) {
      for (JsonNode g : report.at("/groupings/team/groups")) {
        if (team.equals(g.at("/name").asText(null))) {
          return new BigDecimal(g.at("/lines/0/cost").asText());
        }
      }
      return BigDecimal.ZERO;
    }
  }

  public static void main(String[] args) throws Exception {
    run(System.out);
  }

  /** Runs the example, printing to {@code out}. */
  public static Result run(PrintStream out) throws Exception {
    try (FakeModelServer models = FakeModelServer.start()) {
      SpringApplication app = new SpringApplication(InferenceServiceExample.class);
      app.setDefaultProperties(properties(models.baseUrl()));
      app.setLogStartupInfo(false);
      try (ConfigurableApplicationContext ctx = app.run()) {
        int port = ((WebServerApplicationContext) ctx).getWebServer().getPort();
        Client client = new Client(port);
        List<Request> requests = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          requests.add(client.get("search", "/ask"));
        }
        requests.add(client.get("search", "/ask/stream"));
        for (int i = 0; i < 3; i++) {
          requests.add(client.get("interns", "/ask")); // the third would pass the $0.025 budget: 429
        }
        JsonNode report = awaitReport(client, 6);
        Result r = new Result(requests, models.callCount(), report);
        print(out, models.baseUrl(), r);
        return r;
      }
    }
  }

  /** A streamed call is recorded just after its response ends: wait (bounded) for all {@code calls}. */
  private static JsonNode awaitReport(Client client, long calls) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (true) {
      JsonNode report = client.json("/actuator/finops");
      if (report.at("/total/lines/0/requests").asLong() >= calls || System.nanoTime() > deadline) {
        return report;
      }
      Thread.sleep(10);
    }
  }

  private static void print(PrintStream out, String modelServer, Result r) {
    out.println("Spring Boot + Spring AI service with the finops starter, model server " + modelServer
        + " (no API key, no network)");
    out.println();
    out.printf("%-8s %-12s %s%n", "team", "request", "HTTP");
    for (Request q : r.requests()) {
      out.printf("%-8s %-12s %d%s%n", q.team(), q.path(), q.status(),
          q.status() == 429 ? "  refused by the budget before the model was called" : "");
    }
    out.println();
    out.println("model server calls: " + r.modelCalls());
    out.println("GET /actuator/finops:");
    out.println("  total      " + r.report().at("/total/lines/0/cost").asText() + " USD, "
        + r.report().at("/total/lines/0/requests").asLong() + " calls");
    out.println("  search     " + r.teamCost("search").toPlainString() + " USD");
    out.println("  interns    " + r.teamCost("interns").toPlainString() + " USD");
    for (JsonNode b : r.report().at("/budgets")) {
      out.println("  budget " + b.at("/scope").asText() + " " + b.at("/window").asText() + ": spent "
          + b.at("/spent").asText() + " of " + b.at("/limit").asText() + " " + b.at("/currency").asText());
    }
  }

  /** A plain HTTP client, as a caller of the service would use. */
  private static final class Client {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final int port;

    Client(int port) {
      this.port = port;
    }

    Request get(String team, String path) {
      return new Request(team, path, send(team, path).statusCode());
    }

    JsonNode json(String path) {
      try {
        return JSON.readTree(send(null, path).body());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private HttpResponse<String> send(String team, String path) {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
      if (team != null) {
        b.header("X-Team", team);
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
  }
}

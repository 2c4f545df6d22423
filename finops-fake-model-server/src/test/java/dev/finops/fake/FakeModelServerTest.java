package dev.finops.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FakeModelServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private FakeModelServer server;

  @BeforeEach
  void start() throws Exception {
    server = FakeModelServer.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
        .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static List<JsonNode> events(String sse) throws Exception {
    List<String> lines = sse.lines().filter(l -> l.startsWith("data: ") && !l.equals("data: [DONE]"))
        .map(l -> l.substring(6)).collect(Collectors.toList());
    List<JsonNode> out = new java.util.ArrayList<>();
    for (String l : lines) {
      out.add(JSON.readTree(l));
    }
    return out;
  }

  @Test
  void chatCompletionReportsInclusiveUsageWithCachedTokens() throws Exception {
    HttpResponse<String> r = post("/v1/chat/completions", "{\"model\":\"gpt-4o\",\"messages\":[]}");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode o = JSON.readTree(r.body());
    assertThat(o.get("id").asText()).startsWith("chatcmpl-");
    assertThat(o.get("model").asText()).isEqualTo("gpt-4o-2024-08-06");
    assertThat(o.at("/usage/prompt_tokens").asLong()).isEqualTo(3_000);
    assertThat(o.at("/usage/prompt_tokens_details/cached_tokens").asLong()).isEqualTo(2_000);
    assertThat(o.at("/usage/completion_tokens").asLong()).isEqualTo(500);
    assertThat(server.requests()).singleElement().satisfies(q -> assertThat(q.json().get("model").asText())
        .isEqualTo("gpt-4o"));
  }

  @Test
  void streamedChatCarriesUsageOnlyWhenAskedFor() throws Exception {
    List<JsonNode> without = events(post("/v1/chat/completions", "{\"model\":\"gpt-4o\",\"stream\":true}").body());
    assertThat(without).noneMatch(e -> e.hasNonNull("usage"));
    assertThat(without).allMatch(e -> e.get("id").asText().equals(without.get(0).get("id").asText()));

    List<JsonNode> with = events(post("/v1/chat/completions",
        "{\"model\":\"gpt-4o\",\"stream\":true,\"stream_options\":{\"include_usage\":true}}").body());
    JsonNode last = with.get(with.size() - 1);
    assertThat(last.get("choices")).isEmpty();
    assertThat(last.at("/usage/prompt_tokens_details/cached_tokens").asLong()).isEqualTo(2_000);
    assertThat(with.subList(0, with.size() - 1)).allMatch(e -> e.get("usage").isNull());
  }

  @Test
  void anthropicMessagesReportExclusiveCountsSyncAndStreamed() throws Exception {
    JsonNode m = JSON.readTree(post("/v1/messages", "{\"model\":\"claude-sonnet-4-5\"}").body());
    assertThat(m.at("/usage/input_tokens").asLong()).isEqualTo(1_000);
    assertThat(m.at("/usage/cache_read_input_tokens").asLong()).isEqualTo(2_000);
    assertThat(m.at("/usage/cache_creation_input_tokens").asLong()).isEqualTo(500);
    assertThat(m.at("/usage/output_tokens").asLong()).isEqualTo(500);

    String sse = post("/v1/messages", "{\"model\":\"claude-sonnet-4-5\",\"stream\":true}").body();
    assertThat(sse).contains("event: message_start").contains("event: message_delta").contains("event: message_stop");
    List<JsonNode> ev = events(sse);
    assertThat(ev.get(0).at("/message/usage/cache_read_input_tokens").asLong()).isEqualTo(2_000);
    assertThat(ev.stream().filter(e -> e.get("type").asText().equals("message_delta")).findFirst().orElseThrow()
        .at("/usage/output_tokens").asLong()).isEqualTo(500);
  }

  @Test
  void geminiGenerateContentReportsPromptInclusiveCountsSyncAndStreamed() throws Exception {
    String body = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}";
    JsonNode g = JSON.readTree(post("/v1beta/models/gemini-2.5-flash:generateContent", body).body());
    assertThat(g.at("/candidates/0/content/parts/0/text").asText()).isEqualTo("The answer is 42.");
    assertThat(g.at("/candidates/0/finishReason").asText()).isEqualTo("STOP");
    assertThat(g.get("modelVersion").asText()).isEqualTo("gemini-2.5-flash");
    assertThat(g.get("responseId").asText()).isNotEmpty();
    assertThat(g.at("/usageMetadata/promptTokenCount").asLong()).isEqualTo(3_000);
    assertThat(g.at("/usageMetadata/cachedContentTokenCount").asLong()).isEqualTo(2_000);
    assertThat(g.at("/usageMetadata/candidatesTokenCount").asLong()).isEqualTo(400);
    assertThat(g.at("/usageMetadata/thoughtsTokenCount").asLong()).isEqualTo(100);
    assertThat(g.at("/usageMetadata/totalTokenCount").asLong()).isEqualTo(3_500);
    assertThat(g.at("/usageMetadata").has("toolUsePromptTokenCount")).isFalse(); // zero: left out

    String sse = post("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", body).body();
    assertThat(sse).doesNotContain("event:").doesNotContain("[DONE]");
    List<JsonNode> chunks = events(sse);
    assertThat(chunks).hasSizeGreaterThan(1);
    String id = chunks.get(0).get("responseId").asText();
    assertThat(chunks).allMatch(c -> c.get("responseId").asText().equals(id) && c.has("modelVersion"));
    JsonNode last = chunks.get(chunks.size() - 1);
    assertThat(last.at("/usageMetadata/cachedContentTokenCount").asLong()).isEqualTo(2_000);
    assertThat(last.at("/candidates/0/finishReason").asText()).isEqualTo("STOP");
    assertThat(chunks.subList(0, chunks.size() - 1)).noneMatch(c -> c.has("usageMetadata"));
    assertThat(chunks.stream().map(c -> c.at("/candidates/0/content/parts/0/text").asText())
        .collect(Collectors.joining())).isEqualTo("The answer is 42.");
    assertThat(server.requests()).hasSize(2)
        .allSatisfy(q -> assertThat(q.json().at("/contents/0/parts/0/text").asText()).isEqualTo("hi"));
  }

  @Test
  void geminiUsageIsConfigurable() throws Exception {
    try (FakeModelServer s = FakeModelServer.builder().geminiModel("gemini-2.5-pro")
        .geminiUsage(new FakeModelServer.GeminiUsage(10, 5, 0, 0, 7)).start()) {
      JsonNode g = JSON.readTree(http.send(HttpRequest.newBuilder(
          URI.create(s.baseUrl() + "/v1beta/models/gemini-2.5-pro:generateContent"))
          .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString()).body());
      assertThat(g.get("modelVersion").asText()).isEqualTo("gemini-2.5-pro");
      assertThat(g.at("/usageMetadata/toolUsePromptTokenCount").asLong()).isEqualTo(7);
      assertThat(g.at("/usageMetadata/totalTokenCount").asLong()).isEqualTo(22);
      assertThat(g.at("/usageMetadata").has("cachedContentTokenCount")).isFalse();
      assertThat(g.at("/usageMetadata").has("thoughtsTokenCount")).isFalse();
    }
    assertThatThrownBy(() -> new FakeModelServer.GeminiUsage(10, 5, 11, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void responsesAndEmbeddings() throws Exception {
    JsonNode r = JSON.readTree(post("/v1/responses", "{\"model\":\"gpt-4o\",\"input\":\"hi\"}").body());
    assertThat(r.at("/usage/input_tokens_details/cached_tokens").asLong()).isEqualTo(2_000);
    List<JsonNode> ev = events(post("/v1/responses", "{\"model\":\"gpt-4o\",\"stream\":true}").body());
    JsonNode completed = ev.get(ev.size() - 1);
    assertThat(completed.get("type").asText()).isEqualTo("response.completed");
    assertThat(completed.at("/response/id").asText()).isEqualTo(ev.get(0).at("/response/id").asText());
    assertThat(completed.at("/response/usage/output_tokens").asLong()).isEqualTo(500);

    JsonNode e = JSON.readTree(post("/v1/embeddings", "{\"model\":\"text-embedding-3-small\",\"input\":[\"a\",\"b\"]}")
        .body());
    assertThat(e.get("data")).hasSize(2);
    assertThat(e.at("/usage/prompt_tokens").asLong()).isEqualTo(1_000);
  }

  @Test
  void badRequestsAreAnsweredNotRecorded() throws Exception {
    assertThat(post("/v1/chat/completions", "not json").statusCode()).isEqualTo(400);
    assertThat(post("/v1/nothing", "{}").statusCode()).isEqualTo(404);
    assertThat(server.callCount()).isEqualTo(1);
  }
}

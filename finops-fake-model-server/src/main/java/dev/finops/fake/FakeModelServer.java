package dev.finops.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local model server that answers like OpenAI's, Anthropic's and Google Gemini's HTTP APIs with fixed,
 * known usage, for tests and offline examples: the real client libraries (Spring AI, LangChain4j, the
 * OpenAI Java SDK, Google's google-genai SDK) talk to it as to the provider. It binds the loopback address on a free port and never calls out.
 *
 * <ul>
 *   <li>{@code POST .../chat/completions}: an OpenAI chat completion; with {@code "stream": true},
 *       server-sent chunks, and a last chunk with the usage (and no choices) when the request sets
 *       {@code stream_options.include_usage}, as OpenAI does.
 *   <li>{@code POST .../responses}: an OpenAI Responses API response; streamed as {@code response.*}
 *       events with the usage in {@code response.completed}.
 *   <li>{@code POST .../embeddings}: embeddings with {@code prompt_tokens} usage.
 *   <li>{@code POST .../messages}: an Anthropic message; streamed as Anthropic's events, with the input
 *       and cache counts in {@code message_start}, and all counts, cumulative, in {@code message_delta}
 *       (clients that read only its output count, and those that read it whole, both see the usage).
 *   <li>{@code POST .../models/MODEL:generateContent}: a Gemini API {@code GenerateContentResponse} (the
 *       Gemini Developer API, {@code v1beta}; point the google-genai SDK's {@code HttpOptions.baseUrl} at
 *       {@link #baseUrl()}); {@code :streamGenerateContent} streams it as server-sent {@code data:}
 *       chunks (no event names, no {@code [DONE]}, as with {@code ?alt=sse}), every chunk carrying the
 *       {@code responseId} and {@code modelVersion}, the last one the {@code finishReason} and the
 *       {@code usageMetadata}.
 * </ul>
 *
 * <p>Every request is kept ({@link #requests()}) so tests can check what a client sent, or that it sent
 * nothing. Thread-safe; close it to stop.
 */
public final class FakeModelServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor;
  private final OpenAiUsage openAi;
  private final AnthropicUsage anthropic;
  private final GeminiUsage gemini;
  private final String openAiModel;
  private final String anthropicModel;
  private final String geminiModel;
  private final String reply;
  private final AtomicLong ids = new AtomicLong();
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  private FakeModelServer(Builder b) throws IOException {
    this.openAi = b.openAi;
    this.anthropic = b.anthropic;
    this.gemini = b.gemini;
    this.openAiModel = b.openAiModel;
    this.anthropicModel = b.anthropicModel;
    this.geminiModel = b.geminiModel;
    this.reply = b.reply;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), b.port), 0);
    this.executor = Executors.newFixedThreadPool(8, r -> {
      Thread t = new Thread(r, "fake-model-server");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Starts a server with the default usage (see {@link Builder}). */
  public static FakeModelServer start() throws IOException {
    return builder().start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** {@code http://127.0.0.1:PORT}, without a path. */
  public String baseUrl() {
    return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
  }

  /** {@code http://127.0.0.1:PORT/v1}: the base URL OpenAI clients expect. */
  public String openAiBaseUrl() {
    return baseUrl() + "/v1";
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The requests received so far, in order. */
  public List<Request> requests() {
    return Collections.unmodifiableList(new ArrayList<>(requests));
  }

  /** The model calls received so far (chat, responses, embeddings, messages, generateContent). */
  public int callCount() {
    return requests.size();
  }

  /** The usage every OpenAI response reports. */
  public OpenAiUsage openAiUsage() {
    return openAi;
  }

  /** The usage every Anthropic response reports. */
  public AnthropicUsage anthropicUsage() {
    return anthropic;
  }

  /** The usage every Gemini response reports. */
  public GeminiUsage geminiUsage() {
    return gemini;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- request handling ---------------------------------------------------------------------------

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      if (!"POST".equals(exchange.getRequestMethod())) {
        error(exchange, 405, "only POST is served");
        return;
      }
      JsonNode request;
      try {
        request = JSON.readTree(body);
      } catch (IOException e) {
        error(exchange, 400, "request body is not JSON: " + e.getMessage());
        return;
      }
      if (request == null || !request.isObject()) {
        error(exchange, 400, "request body is not a JSON object");
        return;
      }
      requests.add(new Request(path, new String(body, StandardCharsets.UTF_8), request));
      boolean stream = request.path("stream").asBoolean(false);
      if (path.endsWith("/chat/completions")) {
        if (stream) {
          chatStream(exchange, request);
        } else {
          json(exchange, chatCompletion(request));
        }
      } else if (path.endsWith("/responses")) {
        if (stream) {
          responsesStream(exchange, request);
        } else {
          json(exchange, response(request, "completed"));
        }
      } else if (path.endsWith("/embeddings")) {
        json(exchange, embeddings(request));
      } else if (path.endsWith("/messages")) {
        if (stream) {
          messagesStream(exchange, request);
        } else {
          json(exchange, message(request));
        }
      } else if (path.endsWith(":generateContent")) {
        json(exchange, generateContent(id("resp-"), reply, true));
      } else if (path.endsWith(":streamGenerateContent")) {
        generateContentStream(exchange);
      } else {
        error(exchange, 404, "no fake endpoint at " + path);
      }
    }
  }

  private String requestedModel(JsonNode request, String fallback) {
    String m = request.path("model").asText("");
    return m.isEmpty() ? fallback : m;
  }

  private String id(String prefix) {
    return prefix + Long.toString(ids.incrementAndGet(), 36) + Long.toHexString(System.nanoTime() & 0xffffffL);
  }

  // ---- OpenAI chat completions --------------------------------------------------------------------

  private ObjectNode chatCompletion(JsonNode request) {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", id("chatcmpl-"));
    o.put("object", "chat.completion");
    o.put("created", System.currentTimeMillis() / 1000);
    o.put("model", openAiModel);
    o.put("service_tier", "default");
    o.put("system_fingerprint", "fp_fake");
    ObjectNode choice = o.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    message.put("content", reply);
    message.putNull("refusal");
    choice.putNull("logprobs");
    choice.put("finish_reason", "stop");
    o.set("usage", chatUsage());
    return o;
  }

  private ObjectNode chatUsage() {
    ObjectNode u = JSON.createObjectNode();
    u.put("prompt_tokens", openAi.promptTokens);
    u.put("completion_tokens", openAi.completionTokens);
    u.put("total_tokens", openAi.promptTokens + openAi.completionTokens);
    ObjectNode pd = u.putObject("prompt_tokens_details");
    pd.put("cached_tokens", openAi.cachedTokens);
    pd.put("audio_tokens", 0);
    ObjectNode cd = u.putObject("completion_tokens_details");
    cd.put("reasoning_tokens", openAi.reasoningTokens);
    cd.put("audio_tokens", 0);
    cd.put("accepted_prediction_tokens", 0);
    cd.put("rejected_prediction_tokens", 0);
    return u;
  }

  private void chatStream(HttpExchange exchange, JsonNode request) throws IOException {
    boolean includeUsage = request.path("stream_options").path("include_usage").asBoolean(false);
    String id = id("chatcmpl-");
    long created = System.currentTimeMillis() / 1000;
    try (OutputStream out = startEvents(exchange)) {
      String[] parts = words(reply);
      for (int i = 0; i < parts.length; i++) {
        ObjectNode chunk = chunk(id, created);
        ObjectNode choice = ((ArrayNode) chunk.get("choices")).addObject();
        choice.put("index", 0);
        ObjectNode delta = choice.putObject("delta");
        if (i == 0) {
          delta.put("role", "assistant");
        }
        delta.put("content", parts[i]);
        choice.putNull("logprobs");
        choice.putNull("finish_reason");
        if (includeUsage) {
          chunk.putNull("usage");
        }
        data(out, null, chunk);
      }
      ObjectNode last = chunk(id, created);
      ObjectNode choice = ((ArrayNode) last.get("choices")).addObject();
      choice.put("index", 0);
      choice.putObject("delta");
      choice.putNull("logprobs");
      choice.put("finish_reason", "stop");
      if (includeUsage) {
        last.putNull("usage");
      }
      data(out, null, last);
      if (includeUsage) {
        ObjectNode usage = chunk(id, created);
        usage.set("usage", chatUsage());
        data(out, null, usage);
      }
      out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
    }
  }

  private ObjectNode chunk(String id, long created) {
    ObjectNode c = JSON.createObjectNode();
    c.put("id", id);
    c.put("object", "chat.completion.chunk");
    c.put("created", created);
    c.put("model", openAiModel);
    c.put("service_tier", "default");
    c.put("system_fingerprint", "fp_fake");
    c.putArray("choices");
    return c;
  }

  // ---- OpenAI responses ---------------------------------------------------------------------------

  private ObjectNode response(JsonNode request, String status) {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", id("resp_"));
    o.put("object", "response");
    o.put("created_at", System.currentTimeMillis() / 1000);
    o.put("status", status);
    o.put("model", openAiModel);
    o.putNull("error");
    o.putNull("incomplete_details");
    o.putNull("instructions");
    o.putNull("max_output_tokens");
    o.put("parallel_tool_calls", true);
    o.putNull("previous_response_id");
    o.put("temperature", 1.0);
    o.put("top_p", 1.0);
    o.put("tool_choice", "auto");
    o.putArray("tools");
    o.put("service_tier", "default");
    o.putObject("metadata");
    ArrayNode output = o.putArray("output");
    if ("completed".equals(status)) {
      ObjectNode msg = output.addObject();
      msg.put("type", "message");
      msg.put("id", id("msg_"));
      msg.put("status", "completed");
      msg.put("role", "assistant");
      ObjectNode text = msg.putArray("content").addObject();
      text.put("type", "output_text");
      text.put("text", reply);
      text.putArray("annotations");
      ObjectNode u = o.putObject("usage");
      u.put("input_tokens", openAi.promptTokens);
      u.putObject("input_tokens_details").put("cached_tokens", openAi.cachedTokens);
      u.put("output_tokens", openAi.completionTokens);
      u.putObject("output_tokens_details").put("reasoning_tokens", openAi.reasoningTokens);
      u.put("total_tokens", openAi.promptTokens + openAi.completionTokens);
    } else {
      o.putNull("usage");
    }
    return o;
  }

  private void responsesStream(HttpExchange exchange, JsonNode request) throws IOException {
    try (OutputStream out = startEvents(exchange)) {
      ObjectNode created = JSON.createObjectNode();
      created.put("type", "response.created");
      created.put("sequence_number", 0);
      ObjectNode inProgress = response(request, "in_progress");
      created.set("response", inProgress);
      data(out, "response.created", created);
      int seq = 1;
      for (String part : words(reply)) {
        ObjectNode delta = JSON.createObjectNode();
        delta.put("type", "response.output_text.delta");
        delta.put("sequence_number", seq++);
        delta.put("item_id", "msg_fake");
        delta.put("output_index", 0);
        delta.put("content_index", 0);
        delta.put("delta", part);
        delta.putArray("logprobs");
        data(out, "response.output_text.delta", delta);
      }
      ObjectNode done = JSON.createObjectNode();
      done.put("type", "response.completed");
      done.put("sequence_number", seq);
      ObjectNode completed = response(request, "completed");
      completed.put("id", inProgress.get("id").asText());
      done.set("response", completed);
      data(out, "response.completed", done);
    }
  }

  // ---- OpenAI embeddings --------------------------------------------------------------------------

  private ObjectNode embeddings(JsonNode request) {
    JsonNode input = request.path("input");
    int n = input.isArray() ? Math.max(1, input.size()) : 1;
    ObjectNode o = JSON.createObjectNode();
    o.put("object", "list");
    ArrayNode data = o.putArray("data");
    for (int i = 0; i < n; i++) {
      ObjectNode e = data.addObject();
      e.put("object", "embedding");
      e.put("index", i);
      ArrayNode v = e.putArray("embedding");
      for (int d = 0; d < 8; d++) {
        v.add((i + d) / 8.0);
      }
    }
    o.put("model", requestedModel(request, "text-embedding-3-small"));
    ObjectNode u = o.putObject("usage");
    u.put("prompt_tokens", openAi.embeddingTokens);
    u.put("total_tokens", openAi.embeddingTokens);
    return o;
  }

  // ---- Anthropic messages -------------------------------------------------------------------------

  private ObjectNode message(JsonNode request) {
    ObjectNode o = messageShell(id("msg_"));
    ObjectNode text = ((ArrayNode) o.get("content")).addObject();
    text.put("type", "text");
    text.put("text", reply);
    o.put("stop_reason", "end_turn");
    o.set("usage", anthropicUsage(anthropic.outputTokens));
    return o;
  }

  private ObjectNode messageShell(String id) {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", id);
    o.put("type", "message");
    o.put("role", "assistant");
    o.put("model", anthropicModel);
    o.putArray("content");
    o.putNull("stop_reason");
    o.putNull("stop_sequence");
    return o;
  }

  private ObjectNode anthropicUsage(long outputTokens) {
    ObjectNode u = JSON.createObjectNode();
    u.put("input_tokens", anthropic.inputTokens);
    u.put("cache_creation_input_tokens", anthropic.cacheCreationInputTokens);
    u.put("cache_read_input_tokens", anthropic.cacheReadInputTokens);
    u.put("output_tokens", outputTokens);
    u.put("service_tier", "standard");
    return u;
  }

  private void messagesStream(HttpExchange exchange, JsonNode request) throws IOException {
    try (OutputStream out = startEvents(exchange)) {
      ObjectNode start = JSON.createObjectNode();
      start.put("type", "message_start");
      ObjectNode msg = messageShell(id("msg_"));
      msg.set("usage", anthropicUsage(1));
      start.set("message", msg);
      data(out, "message_start", start);
      ObjectNode blockStart = JSON.createObjectNode();
      blockStart.put("type", "content_block_start");
      blockStart.put("index", 0);
      ObjectNode block = blockStart.putObject("content_block");
      block.put("type", "text");
      block.put("text", "");
      data(out, "content_block_start", blockStart);
      for (String part : words(reply)) {
        ObjectNode delta = JSON.createObjectNode();
        delta.put("type", "content_block_delta");
        delta.put("index", 0);
        ObjectNode d = delta.putObject("delta");
        d.put("type", "text_delta");
        d.put("text", part);
        data(out, "content_block_delta", delta);
      }
      ObjectNode blockStop = JSON.createObjectNode();
      blockStop.put("type", "content_block_stop");
      blockStop.put("index", 0);
      data(out, "content_block_stop", blockStop);
      ObjectNode messageDelta = JSON.createObjectNode();
      messageDelta.put("type", "message_delta");
      ObjectNode d = messageDelta.putObject("delta");
      d.put("stop_reason", "end_turn");
      d.putNull("stop_sequence");
      ObjectNode u = messageDelta.putObject("usage");
      u.put("input_tokens", anthropic.inputTokens);
      u.put("cache_creation_input_tokens", anthropic.cacheCreationInputTokens);
      u.put("cache_read_input_tokens", anthropic.cacheReadInputTokens);
      u.put("output_tokens", anthropic.outputTokens);
      data(out, "message_delta", messageDelta);
      ObjectNode stop = JSON.createObjectNode();
      stop.put("type", "message_stop");
      data(out, "message_stop", stop);
    }
  }

  // ---- Gemini generateContent --------------------------------------------------------------------

  /**
   * A {@code GenerateContentResponse} with one candidate saying {@code text}; the last (or only) one
   * also carries the finish reason and the usage.
   */
  private ObjectNode generateContent(String responseId, String text, boolean last) {
    ObjectNode o = JSON.createObjectNode();
    ObjectNode candidate = o.putArray("candidates").addObject();
    ObjectNode content = candidate.putObject("content");
    content.putArray("parts").addObject().put("text", text);
    content.put("role", "model");
    if (last) {
      candidate.put("finishReason", "STOP");
    }
    candidate.put("index", 0);
    if (last) {
      o.set("usageMetadata", geminiUsageMetadata());
    }
    o.put("modelVersion", geminiModel);
    o.put("responseId", responseId);
    return o;
  }

  /** Gemini's usage: zero counts are left out, as the API leaves them out. */
  private ObjectNode geminiUsageMetadata() {
    ObjectNode u = JSON.createObjectNode();
    u.put("promptTokenCount", gemini.promptTokenCount);
    u.put("candidatesTokenCount", gemini.candidatesTokenCount);
    u.put("totalTokenCount", gemini.totalTokenCount());
    if (gemini.cachedContentTokenCount > 0) {
      u.put("cachedContentTokenCount", gemini.cachedContentTokenCount);
    }
    u.putArray("promptTokensDetails").addObject().put("modality", "TEXT")
        .put("tokenCount", gemini.promptTokenCount);
    if (gemini.cachedContentTokenCount > 0) {
      u.putArray("cacheTokensDetails").addObject().put("modality", "TEXT")
          .put("tokenCount", gemini.cachedContentTokenCount);
    }
    if (gemini.toolUsePromptTokenCount > 0) {
      u.put("toolUsePromptTokenCount", gemini.toolUsePromptTokenCount);
    }
    if (gemini.thoughtsTokenCount > 0) {
      u.put("thoughtsTokenCount", gemini.thoughtsTokenCount);
    }
    return u;
  }

  private void generateContentStream(HttpExchange exchange) throws IOException {
    String id = id("resp-");
    try (OutputStream out = startEvents(exchange)) {
      String[] parts = words(reply);
      for (int i = 0; i < parts.length; i++) {
        data(out, null, generateContent(id, parts[i], i == parts.length - 1));
      }
    }
  }

  // ---- HTTP helpers -------------------------------------------------------------------------------

  private static String[] words(String text) {
    String[] w = text.split("(?<= )");
    return w.length == 0 ? new String[] {text} : w;
  }

  private static void json(HttpExchange exchange, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static void error(HttpExchange exchange, int status, String message) throws IOException {
    ObjectNode o = JSON.createObjectNode();
    ObjectNode e = o.putObject("error");
    e.put("message", message);
    e.put("type", "invalid_request_error");
    byte[] bytes = JSON.writeValueAsBytes(o);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static OutputStream startEvents(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    exchange.sendResponseHeaders(200, 0);
    return exchange.getResponseBody();
  }

  private static void data(OutputStream out, String event, JsonNode data) throws IOException {
    StringBuilder sb = new StringBuilder();
    if (event != null) {
      sb.append("event: ").append(event).append('\n');
    }
    sb.append("data: ").append(JSON.writeValueAsString(data)).append("\n\n");
    out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  // ---- values -------------------------------------------------------------------------------------

  /** One request as received: its path, its body and the body parsed. */
  public record Request(String path, String body, JsonNode json) {}

  /**
   * OpenAI's inclusive counts: {@code prompt_tokens} includes {@code cached_tokens}, {@code
   * completion_tokens} includes {@code reasoning_tokens}. {@code embeddingTokens} is what embeddings
   * report.
   */
  public record OpenAiUsage(long promptTokens, long completionTokens, long cachedTokens, long reasoningTokens,
      long embeddingTokens) {}

  /**
   * Anthropic's exclusive counts: {@code input_tokens} excludes cache reads and creations, which are
   * reported beside it.
   */
  public record AnthropicUsage(long inputTokens, long outputTokens, long cacheReadInputTokens,
      long cacheCreationInputTokens) {}

  /**
   * Gemini's counts ({@code usageMetadata}): {@code promptTokenCount} includes {@code
   * cachedContentTokenCount}; {@code candidatesTokenCount} excludes {@code thoughtsTokenCount}; {@code
   * toolUsePromptTokenCount} is beside the prompt; {@code totalTokenCount} is their sum.
   */
  public record GeminiUsage(long promptTokenCount, long candidatesTokenCount, long cachedContentTokenCount,
      long thoughtsTokenCount, long toolUsePromptTokenCount) {
    public GeminiUsage {
      if (promptTokenCount < 0 || candidatesTokenCount < 0 || cachedContentTokenCount < 0 || thoughtsTokenCount < 0
          || toolUsePromptTokenCount < 0 || cachedContentTokenCount > promptTokenCount) {
        throw new IllegalArgumentException("counts must be non-negative, cachedContentTokenCount at most "
            + "promptTokenCount: " + promptTokenCount + ", " + cachedContentTokenCount);
      }
    }

    /** {@code promptTokenCount + candidatesTokenCount + thoughtsTokenCount + toolUsePromptTokenCount}. */
    public long totalTokenCount() {
      return promptTokenCount + candidatesTokenCount + thoughtsTokenCount + toolUsePromptTokenCount;
    }
  }

  /**
   * Configures a {@link FakeModelServer}. Defaults: OpenAI answers as {@code gpt-4o-2024-08-06} with 3,000
   * prompt tokens (2,000 of them cached) and 500 completion tokens (exactly $0.0100 at gpt-4o's
   * $2.50 / $1.25 cached / $10.00 per million); Anthropic answers as {@code claude-sonnet-4-5-20250929}
   * with 1,000 uncached input tokens, 2,000 cache reads, 500 cache writes and 500 output tokens (exactly
   * $0.012975 at $3.00 / $0.30 / $3.75 / $15.00 per million); Gemini answers as {@code gemini-2.5-flash}
   * with 3,000 prompt tokens (2,000 of them cached), 400 candidate tokens and 100 thoughts tokens
   * (exactly $0.00161 at $0.30 / $0.03 cached / $2.50 output, thoughts included, per million);
   * embeddings report 1,000 tokens.
   */
  public static final class Builder {
    private OpenAiUsage openAi = new OpenAiUsage(3_000, 500, 2_000, 0, 1_000);
    private AnthropicUsage anthropic = new AnthropicUsage(1_000, 500, 2_000, 500);
    private GeminiUsage gemini = new GeminiUsage(3_000, 400, 2_000, 100, 0);
    private String openAiModel = "gpt-4o-2024-08-06";
    private String anthropicModel = "claude-sonnet-4-5-20250929";
    private String geminiModel = "gemini-2.5-flash";
    private String reply = "The answer is 42.";
    private int port;

    private Builder() {}

    public Builder openAiUsage(OpenAiUsage usage) {
      this.openAi = Objects.requireNonNull(usage, "usage");
      return this;
    }

    public Builder anthropicUsage(AnthropicUsage usage) {
      this.anthropic = Objects.requireNonNull(usage, "usage");
      return this;
    }

    public Builder geminiUsage(GeminiUsage usage) {
      this.gemini = Objects.requireNonNull(usage, "usage");
      return this;
    }

    /** The model OpenAI responses name (whatever the request asked for). */
    public Builder openAiModel(String model) {
      this.openAiModel = Objects.requireNonNull(model, "model");
      return this;
    }

    /** The model Anthropic responses name. */
    public Builder anthropicModel(String model) {
      this.anthropicModel = Objects.requireNonNull(model, "model");
      return this;
    }

    /** The {@code modelVersion} Gemini responses name (whatever model the request's path named). */
    public Builder geminiModel(String model) {
      this.geminiModel = Objects.requireNonNull(model, "model");
      return this;
    }

    /** The assistant's text in every answer (streamed word by word). */
    public Builder reply(String reply) {
      this.reply = Objects.requireNonNull(reply, "reply");
      return this;
    }

    /** The port to bind on the loopback address (default 0: a free one). */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port must be 0..65535: " + port);
      }
      this.port = port;
      return this;
    }

    public FakeModelServer start() throws IOException {
      return new FakeModelServer(this);
    }
  }
}

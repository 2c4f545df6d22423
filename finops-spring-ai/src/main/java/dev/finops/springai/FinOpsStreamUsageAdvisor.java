package dev.finops.springai;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.ai.chat.client.ChatClientRequest;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.client.advisor.api.StreamAdvisor;
import org.springframework.ai.chat.client.advisor.api.StreamAdvisorChain;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.core.Ordered;
import reactor.core.publisher.Flux;

/**
 * A {@code ChatClient} advisor that keeps the native usage of streamed responses as their chunks pass,
 * so {@link FinOpsObservationHandlers#recorder()} prices a streamed call with its cache and reasoning
 * counts (Spring AI's stream aggregation keeps only the totals). Add it to every {@code ChatClient}
 * ({@code builder.defaultAdvisors(advisor)}; the Spring Boot starter does it with a {@code
 * ChatClientCustomizer}). Streams read straight from a {@code ChatModel} are still recorded, with their
 * totals only.
 *
 * <p>OpenAI reports a stream's usage only when asked ({@code stream_options.include_usage}), and
 * Spring AI 1.x's {@code OpenAiChatOptions} default to not asking: for a stream through this advisor the
 * advisor asks, on a copy of the options, for this stream only (the usage is one more chunk, free).
 * Unlike {@code spring.ai.openai.chat.options.stream-usage=true}, which applies to every call, this
 * leaves synchronous calls alone (Spring AI logs a warning for each synchronous request carrying
 * stream options). Spring AI 2 asks for every stream unless its options say otherwise, so there the
 * advisor leaves the request as it is. A stream read without stream usage reports no usage and counts
 * in {@link dev.finops.otel.FinOpsTelemetry#callsWithoutUsage()}, never priced at zero. Changes nothing
 * in the stream itself.
 */
public final class FinOpsStreamUsageAdvisor implements StreamAdvisor {
  /** Spring AI 1.x's OpenAI module (Spring AI 2's keeps {@code OpenAiChatOptions} without its stream usage). */
  private static final boolean OPENAI_1 = present("org.springframework.ai.openai.api.OpenAiApi");
  private final StreamUsages usages;

  FinOpsStreamUsageAdvisor(StreamUsages usages) {
    this.usages = usages;
  }

  @Override
  public Flux<ChatClientResponse> adviseStream(ChatClientRequest request, StreamAdvisorChain chain) {
    Set<String> ids = ConcurrentHashMap.newKeySet();
    String key = StreamKeys.put(request.prompt());
    return chain.nextStream(OPENAI_1 ? OpenAiStreamUsage.request(request) : request)
        .doOnNext(response -> observe(response, ids, key))
        .doFinally(signal -> usages.streamsDone(ids));
  }

  private void observe(ChatClientResponse response, Set<String> ids, String streamKey) {
    ChatResponse chat = response.chatResponse();
    ChatResponseMetadata m = chat == null ? null : chat.getMetadata();
    if (m == null) {
      return;
    }
    String id = m.getId() != null && !m.getId().isEmpty() ? m.getId() : streamKey;
    if (id != null) {
      ids.add(id);
      if (m.getUsage() != null) {
        usages.observe(id, m.getUsage().getNativeUsage());
      }
    }
  }

  private static boolean present(String className) {
    try {
      Class.forName(className, false, FinOpsStreamUsageAdvisor.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError absent) {
      return false;
    }
  }

  /** Touches Spring AI 1.x's OpenAI classes only when they are on the class path. */
  private static final class OpenAiStreamUsage {
    static ChatClientRequest request(ChatClientRequest request) {
      Prompt prompt = request.prompt();
      if (prompt != null && prompt.getOptions() instanceof OpenAiChatOptions options
          && !Boolean.TRUE.equals(options.getStreamUsage())) {
        OpenAiChatOptions withUsage = options.copy();
        withUsage.setStreamUsage(true);
        return request.mutate().prompt(prompt.mutate().chatOptions(withUsage).build()).build();
      }
      return request;
    }
  }

  @Override
  public String getName() {
    return "finops-stream-usage";
  }

  /** Innermost, next to the model, so every chunk is seen as the model sent it. */
  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE - 100;
  }
}

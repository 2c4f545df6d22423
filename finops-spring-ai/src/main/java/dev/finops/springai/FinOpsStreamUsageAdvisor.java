package dev.finops.springai;

import org.springframework.ai.chat.client.ChatClientRequest;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.client.advisor.api.StreamAdvisor;
import org.springframework.ai.chat.client.advisor.api.StreamAdvisorChain;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.core.Ordered;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Flux;

/**
 * A {@code ChatClient} advisor that keeps the native usage of streamed responses as their chunks pass,
 * so {@link FinOpsObservationHandlers#recorder()} prices a streamed call with its cache and reasoning
 * counts (Spring AI's stream aggregation keeps only the totals). Add it to every {@code ChatClient}
 * ({@code builder.defaultAdvisors(advisor)}; the Spring Boot starter does it with a {@code
 * ChatClientCustomizer}). Streams read straight from a {@code ChatModel} are still recorded, with their
 * totals only. Changes nothing in the stream.
 */
public final class FinOpsStreamUsageAdvisor implements StreamAdvisor {
  private final StreamUsages usages;

  FinOpsStreamUsageAdvisor(StreamUsages usages) {
    this.usages = usages;
  }

  @Override
  public Flux<ChatClientResponse> adviseStream(ChatClientRequest request, StreamAdvisorChain chain) {
    Set<String> ids = ConcurrentHashMap.newKeySet();
    return chain.nextStream(request)
        .doOnNext(response -> observe(response, ids))
        .doFinally(signal -> usages.streamsDone(ids));
  }

  private void observe(ChatClientResponse response, Set<String> ids) {
    ChatResponse chat = response.chatResponse();
    ChatResponseMetadata m = chat == null ? null : chat.getMetadata();
    if (m != null && m.getId() != null && !m.getId().isEmpty()) {
      ids.add(m.getId());
      if (m.getUsage() != null) {
        usages.observe(m.getId(), m.getUsage().getNativeUsage());
      }
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

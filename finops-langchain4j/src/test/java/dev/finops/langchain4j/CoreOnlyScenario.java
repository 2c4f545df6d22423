package dev.finops.langchain4j;

import dev.finops.core.FinOps;
import dev.finops.otel.FinOpsTelemetry;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import io.opentelemetry.api.OpenTelemetry;
import java.util.List;
import java.util.function.Supplier;

/**
 * A call of a Mistral-like model that uses langchain4j-core only; {@link CoreOnlyTest} runs it in a
 * class loader without the OpenAI and Anthropic modules. Answers "{openai present} {anthropic present}
 * {requests} {cost} {problems}".
 */
public final class CoreOnlyScenario implements Supplier<String> {

  @Override
  public String get() {
    FinOps finops = FinOps.builder().build();
    FinOpsTelemetry telemetry = FinOpsTelemetry.builder(finops).openTelemetry(OpenTelemetry.noop()).build();
    FinOpsChatModelListener listener = new FinOpsChatModelListener(telemetry);
    ChatModel mistral = new ChatModel() {
      @Override
      public ChatResponse doChat(ChatRequest request) {
        return ChatResponse.builder().aiMessage(AiMessage.from("bonjour")).id("cmpl-core-1")
            .modelName("mistral-small-2506").tokenUsage(new TokenUsage(1_000, 200)).build();
      }

      @Override
      public ChatRequestParameters defaultRequestParameters() {
        return ChatRequestParameters.builder().modelName("mistral-small-2506").maxOutputTokens(500).build();
      }

      @Override
      public List<ChatModelListener> listeners() {
        return List.of(listener);
      }

      @Override
      public ModelProvider provider() {
        return ModelProvider.MISTRAL_AI;
      }
    };
    mistral.chat("salut");
    var total = finops.snapshot().total();
    return ProviderClasses.OPENAI + " " + ProviderClasses.ANTHROPIC + " " + total.requests() + " "
        + total.cost().exactAmount().toPlainString() + " " + listener.problems();
  }
}

package dev.finops.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finops.core.Usage;
import dev.finops.core.UsageBucket;
import dev.finops.otel.UsageExtractor;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.anthropic.AnthropicTokenUsage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatRequestParameters;
import dev.langchain4j.model.openai.OpenAiTokenUsage;
import dev.langchain4j.model.output.TokenUsage;
import dev.langchain4j.service.Result;
import java.util.List;
import org.junit.jupiter.api.Test;

class LangChain4jUsageTest {

  @Test
  void openAiCountsAreInclusive() {
    OpenAiTokenUsage t = OpenAiTokenUsage.builder().inputTokenCount(3_000).outputTokenCount(700)
        .inputTokensDetails(OpenAiTokenUsage.InputTokensDetails.builder().cachedTokens(2_000).build())
        .outputTokensDetails(OpenAiTokenUsage.OutputTokensDetails.builder().reasoningTokens(200).build())
        .totalTokenCount(3_700).build();
    Usage u = LangChain4jUsage.toUsage(t);
    assertThat(u).isEqualTo(Usage.builder().inputUncached(1_000).cacheRead(2_000).output(500).reasoning(200).build());
    assertThat(u.inputTokens()).isEqualTo(3_000);
    assertThat(u.outputTokens()).isEqualTo(700);
  }

  @Test
  void openAiCountsWithoutDetailsAreAllUncached() {
    OpenAiTokenUsage t = OpenAiTokenUsage.builder().inputTokenCount(10).outputTokenCount(5).build();
    assertThat(LangChain4jUsage.toUsage(t)).isEqualTo(Usage.builder().inputUncached(10).output(5).build());
  }

  @Test
  void anthropicCountsAreExclusive() {
    AnthropicTokenUsage t = AnthropicTokenUsage.builder().inputTokenCount(1_000).outputTokenCount(500)
        .cacheReadInputTokens(2_000).cacheCreationInputTokens(500).build();
    Usage u = LangChain4jUsage.toUsage(t);
    assertThat(u.get(UsageBucket.INPUT_UNCACHED)).isEqualTo(1_000);
    assertThat(u.get(UsageBucket.CACHE_READ)).isEqualTo(2_000);
    assertThat(u.get(UsageBucket.CACHE_WRITE_5M)).isEqualTo(500);
    assertThat(u.get(UsageBucket.CACHE_WRITE_1H)).isZero();
    assertThat(u.get(UsageBucket.OUTPUT)).isEqualTo(500);
    assertThat(u.inputTokens()).isEqualTo(3_500);
  }

  @Test
  void plainCountsAreInputAndOutput() {
    assertThat(LangChain4jUsage.toUsage(new TokenUsage(120, 30)))
        .isEqualTo(Usage.builder().inputUncached(120).output(30).build());
    assertThat(LangChain4jUsage.toUsage(new TokenUsage(120))).isEqualTo(Usage.builder().inputUncached(120).build());
    assertThat(LangChain4jUsage.toUsage(new TokenUsage())).isNull();
    assertThat(LangChain4jUsage.toUsage(null)).isNull();
  }

  @Test
  void impossibleCountsAreRejectedByToUsageAndReadAsNoneByExtractors() {
    OpenAiTokenUsage t = OpenAiTokenUsage.builder().inputTokenCount(10).outputTokenCount(5)
        .inputTokensDetails(OpenAiTokenUsage.InputTokensDetails.builder().cachedTokens(20).build()).build();
    assertThatThrownBy(() -> LangChain4jUsage.toUsage(t)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("input_tokens");
    ChatResponse r = ChatResponse.builder().aiMessage(AiMessage.from("x")).tokenUsage(t).build();
    assertThat(LangChain4jUsage.chatResponse().usage(r)).isNull();
  }

  @Test
  void theChatResponseExtractorReadsUsageModelAndId() {
    UsageExtractor<ChatResponse> x = LangChain4jUsage.chatResponse();
    ChatResponse r = ChatResponse.builder().aiMessage(AiMessage.from("x")).id("chatcmpl-1")
        .modelName("gpt-4o-2024-08-06").tokenUsage(new TokenUsage(10, 5)).build();
    assertThat(x.usage(r)).isEqualTo(Usage.builder().inputUncached(10).output(5).build());
    assertThat(x.responseModel(r)).isEqualTo("gpt-4o-2024-08-06");
    assertThat(x.responseId(r)).isEqualTo("chatcmpl-1");
    ChatResponse blank = ChatResponse.builder().aiMessage(AiMessage.from("x")).id(" ").build();
    assertThat(x.responseId(blank)).isNull();
    assertThat(x.usage(blank)).isNull();
  }

  @Test
  void theResultExtractorGivesAnIdOnlyForASingleCall() {
    ChatResponse last = ChatResponse.builder().aiMessage(AiMessage.from("x")).id("chatcmpl-2")
        .modelName("gpt-4o-2024-08-06").tokenUsage(new TokenUsage(10, 5)).build();
    Result<String> single = Result.<String>builder().content("x").tokenUsage(new TokenUsage(10, 5))
        .finalResponse(last).build();
    Result<String> several = Result.<String>builder().content("x").tokenUsage(new TokenUsage(25, 9))
        .intermediateResponses(List.of(last)).finalResponse(last).build();
    UsageExtractor<Result<?>> x = LangChain4jResults.result();
    assertThat(x.responseId(single)).isEqualTo("chatcmpl-2");
    assertThat(x.responseId(several)).isNull();
    assertThat(x.usage(several)).isEqualTo(Usage.builder().inputUncached(25).output(9).build());
    assertThat(x.responseModel(several)).isEqualTo("gpt-4o-2024-08-06");
  }

  @Test
  void thePromptBoundIsItsUtf8BytesPlusEightPerMessage() {
    String text = "héllo €𝄞"; // h é l l o, space, €, 𝄞: 1+2+1+1+1 + 1 + 3 + 4 = 14 bytes
    ChatRequest r = ChatRequest.builder().messages(SystemMessage.from("be brief"), UserMessage.from(text),
        AiMessage.from(ToolExecutionRequest.builder().id("c1").name("f").arguments("{}").build()),
        ToolExecutionResultMessage.from("c1", "f", "42")).build();
    assertThat(RequestBounds.inputTokens(r)).isEqualTo(8 + 14 + (2 + 1 + 2) + (2 + 1 + 2) + 4 * 8);
  }

  @Test
  void thePromptBoundIsUnknownForImagesToolsAndSchemas() {
    ChatRequest image = ChatRequest.builder().messages(UserMessage.from(TextContent.from("what is this?"),
        ImageContent.from("https://example.com/cat.png"))).build();
    assertThat(RequestBounds.inputTokens(image)).isEqualTo(-1);
    ChatRequest tools = ChatRequest.builder().messages(UserMessage.from("hi"))
        .toolSpecifications(ToolSpecification.builder().name("f").build()).build();
    assertThat(RequestBounds.inputTokens(tools)).isEqualTo(-1);
  }

  @Test
  void theOutputBoundIsMaxTokensOrOpenAisMaxCompletionTokens() {
    ChatRequest none = ChatRequest.builder().messages(UserMessage.from("hi")).build();
    assertThat(RequestBounds.maxOutputTokens(none)).isEqualTo(-1);
    ChatRequest max = ChatRequest.builder().messages(UserMessage.from("hi"))
        .parameters(ChatRequestParameters.builder().maxOutputTokens(256).build()).build();
    assertThat(RequestBounds.maxOutputTokens(max)).isEqualTo(256);
    ChatRequest completion = ChatRequest.builder().messages(UserMessage.from("hi"))
        .parameters(OpenAiChatRequestParameters.builder().maxCompletionTokens(4_096).build()).build();
    assertThat(RequestBounds.maxOutputTokens(completion)).isEqualTo(4_096);
  }

  @Test
  void providersAreMappedToTheCatalogsSpelling() {
    assertThat(FinOpsChatModelListener.catalogProvider(ModelProvider.OPEN_AI)).isEqualTo("openai");
    assertThat(FinOpsChatModelListener.catalogProvider(ModelProvider.ANTHROPIC)).isEqualTo("anthropic");
    assertThat(FinOpsChatModelListener.catalogProvider(ModelProvider.GOOGLE_AI_GEMINI)).isEqualTo("google");
    assertThat(FinOpsChatModelListener.catalogProvider(ModelProvider.MISTRAL_AI)).isEqualTo("mistral");
    assertThat(FinOpsChatModelListener.catalogProvider(ModelProvider.OLLAMA)).isNull();
    assertThat(FinOpsChatModelListener.catalogProvider(null)).isNull();
  }
}

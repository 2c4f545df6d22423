package dev.finops.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.core.ObjectMappers;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.FunctionDefinition;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.embeddings.EmbeddingModel;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.WebSearchTool;
import dev.finops.core.FinOps;
import dev.finops.core.Usage;
import dev.finops.core.UsageBucket;
import dev.finops.core.pricing.PricedUsage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading the SDK's usage into canonical buckets, and the request bounds of the budget estimate. */
class UsageAndBoundsTest {

  private static ChatCompletion completion(String serviceTier, String usage) throws Exception {
    String json = "{\"id\":\"chatcmpl-x\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"gpt-5-2025-08-07\","
        + (serviceTier == null ? "" : "\"service_tier\":\"" + serviceTier + "\",")
        + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"hi\",\"refusal\":null},"
        + "\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":" + usage + "}";
    return ObjectMappers.jsonMapper().readValue(json, ChatCompletion.class);
  }

  @Test
  void chatUsageIsSplitIntoExclusiveBuckets() throws Exception {
    ChatCompletion c = completion("default", "{\"prompt_tokens\":3000,\"completion_tokens\":500,\"total_tokens\":3500,"
        + "\"prompt_tokens_details\":{\"cached_tokens\":2000,\"audio_tokens\":0},"
        + "\"completion_tokens_details\":{\"reasoning_tokens\":200,\"audio_tokens\":0}}");
    Operation.Outcome o = Operation.CHAT.outcome(c);
    assertThat(o.id()).isEqualTo("chatcmpl-x");
    assertThat(o.model()).isEqualTo("gpt-5-2025-08-07");
    assertThat(o.problem()).isNull();
    Usage u = o.usage();
    assertThat(u.get(UsageBucket.INPUT_UNCACHED)).isEqualTo(1_000);
    assertThat(u.get(UsageBucket.CACHE_READ)).isEqualTo(2_000);
    assertThat(u.get(UsageBucket.OUTPUT)).isEqualTo(300);
    assertThat(u.get(UsageBucket.OUTPUT_REASONING)).isEqualTo(200);
    assertThat(u.serviceTier()).isEqualTo(Usage.STANDARD_TIER);
  }

  @Test
  void audioTokensAreTakenOutOfTheTextCountsExactly() throws Exception {
    ChatCompletion c = completion(null, "{\"prompt_tokens\":1000,\"completion_tokens\":400,\"total_tokens\":1400,"
        + "\"prompt_tokens_details\":{\"cached_tokens\":100,\"audio_tokens\":600},"
        + "\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":350}}");
    Usage u = Operation.CHAT.outcome(c).usage();
    assertThat(u.get(UsageBucket.INPUT_UNCACHED)).isEqualTo(300);
    assertThat(u.get(UsageBucket.CACHE_READ)).isEqualTo(100);
    assertThat(u.get(UsageBucket.INPUT_AUDIO)).isEqualTo(600);
    assertThat(u.get(UsageBucket.OUTPUT)).isEqualTo(50);
    assertThat(u.get(UsageBucket.OUTPUT_AUDIO)).isEqualTo(350);
    assertThat(u.inputTokens()).isEqualTo(1_000);
    assertThat(u.outputTokens()).isEqualTo(400);
  }

  @Test
  void audioThatOverlapsTheCacheIsCountedOnce() {
    Usage u = OpenAIUsage.convert(1_000, 10, 900, 0, 600, 0, 0, 0, null);
    assertThat(u.get(UsageBucket.CACHE_READ)).isEqualTo(900);
    assertThat(u.get(UsageBucket.INPUT_AUDIO)).isEqualTo(100);
    assertThat(u.get(UsageBucket.INPUT_UNCACHED)).isZero();
    assertThat(u.inputTokens()).isEqualTo(1_000);
  }

  @Test
  void theBilledServiceTierIsKeptAndPriced() throws Exception {
    String usage = "{\"prompt_tokens\":2000,\"completion_tokens\":1000,\"total_tokens\":3000}";
    Usage flex = Operation.CHAT.outcome(completion("flex", usage)).usage();
    Usage standard = Operation.CHAT.outcome(completion("default", usage)).usage();
    assertThat(flex.serviceTier()).isEqualTo("flex");
    assertThat(Operation.CHAT.outcome(completion("auto", usage)).usage().serviceTier()).isEqualTo("standard");
    assertThat(Operation.CHAT.outcome(completion("priority", usage)).usage().serviceTier()).isEqualTo("priority");
    FinOps finops = TestSupport.finops();
    PricedUsage atStandard = finops.price("openai", "gpt-5", standard);
    PricedUsage atFlex = finops.price("openai", "gpt-5", flex);
    // gpt-5: 2,000 × $1.25 + 1,000 × $10.00 per million = $0.0125; flex at half
    assertThat(atStandard.total().exactAmount()).isEqualByComparingTo("0.0125");
    assertThat(atFlex.total().exactAmount()).isEqualByComparingTo("0.00625");
  }

  @Test
  void missingDetailsReadAsZeroAndResponsesUsageIsRead() throws Exception {
    ChatCompletion c = completion(null, "{\"prompt_tokens\":10,\"completion_tokens\":5,\"total_tokens\":15}");
    assertThat(Operation.CHAT.outcome(c).usage()).isEqualTo(Usage.ofTokens(10, 5));
    Response r = ObjectMappers.jsonMapper().readValue("{\"id\":\"resp_1\",\"object\":\"response\",\"created_at\":1,"
        + "\"model\":\"gpt-4o-2024-08-06\",\"output\":[],\"parallel_tool_calls\":true,\"tool_choice\":\"auto\","
        + "\"tools\":[],\"service_tier\":\"flex\",\"usage\":{\"input_tokens\":300,\"input_tokens_details\":"
        + "{\"cached_tokens\":100},\"output_tokens\":50,\"output_tokens_details\":{\"reasoning_tokens\":20},"
        + "\"total_tokens\":350}}", Response.class);
    Operation.Outcome o = Operation.RESPONSES.outcome(r);
    assertThat(o.id()).isEqualTo("resp_1");
    assertThat(o.model()).isEqualTo("gpt-4o-2024-08-06");
    assertThat(o.usage().get(UsageBucket.INPUT_UNCACHED)).isEqualTo(200);
    assertThat(o.usage().get(UsageBucket.CACHE_READ)).isEqualTo(100);
    assertThat(o.usage().get(UsageBucket.OUTPUT)).isEqualTo(30);
    assertThat(o.usage().get(UsageBucket.OUTPUT_REASONING)).isEqualTo(20);
    assertThat(o.usage().serviceTier()).isEqualTo("flex");
  }

  @Test
  void impossibleCountsAreAProblemNotAnException() throws Exception {
    ChatCompletion c = completion(null, "{\"prompt_tokens\":10,\"completion_tokens\":5,\"total_tokens\":15,"
        + "\"prompt_tokens_details\":{\"cached_tokens\":20}}");
    Operation.Outcome o = Operation.CHAT.outcome(c);
    assertThat(o.problem()).isInstanceOf(IllegalArgumentException.class);
    assertThat(o.id()).isEqualTo("chatcmpl-x");
  }

  // ---- bounds -------------------------------------------------------------------------------------

  @Test
  void chatBoundsCountTextBytesAndEightPerMessage() {
    ChatCompletionCreateParams p = ChatCompletionCreateParams.builder().model("gpt-4o")
        .addSystemMessage("sys")
        .addUserMessage("Héllo") // é is 2 bytes
        .maxCompletionTokens(100).n(2)
        .build();
    Operation.Request r = Operation.CHAT.request(p);
    assertThat(r.model()).isEqualTo("gpt-4o");
    assertThat(r.inputTokensBound()).isEqualTo(3 + 8 + 6 + 8);
    assertThat(r.maxOutputTokens()).isEqualTo(200);
    @SuppressWarnings("deprecation")
    ChatCompletionCreateParams legacy = ChatCompletionCreateParams.builder().model("gpt-4o").addUserMessage("x")
        .maxTokens(50).build();
    assertThat(Operation.CHAT.request(legacy).maxOutputTokens()).isEqualTo(50);
    ChatCompletionCreateParams unbounded = ChatCompletionCreateParams.builder().model("gpt-4o").addUserMessage("x")
        .build();
    assertThat(Operation.CHAT.request(unbounded).maxOutputTokens()).isEqualTo(-1);
  }

  @Test
  void anImageMakesTheChatBoundUnknownAndToolsAddTheirDefinitions() {
    ChatCompletionCreateParams image = ChatCompletionCreateParams.builder().model("gpt-4o")
        .addUserMessageOfArrayOfContentParts(List.of(
            ChatCompletionContentPart.ofText(com.openai.models.chat.completions.ChatCompletionContentPartText.builder()
                .text("what is this?").build()),
            ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder()
                .imageUrl(ChatCompletionContentPartImage.ImageUrl.builder().url("https://x/y.png").build()).build())))
        .build();
    assertThat(Operation.CHAT.request(image).inputTokensBound()).isEqualTo(-1);

    ChatCompletionCreateParams tools = TestSupport.chat().toBuilder()
        .addTool(ChatCompletionFunctionTool.builder()
            .function(FunctionDefinition.builder().name("weather").description("the weather").build()).build())
        .build();
    long withTools = Operation.CHAT.request(tools).inputTokensBound();
    assertThat(withTools).isGreaterThan(13 + RequestBounds.TOOLS_OVERHEAD);
  }

  @Test
  void responsesBoundsCountInstructionsAndInputAndGiveUpOnServerSideContext() {
    ResponseCreateParams p = ResponseCreateParams.builder().model("gpt-4o").instructions("Be brief")
        .input("Hello").maxOutputTokens(64L).build();
    Operation.Request r = Operation.RESPONSES.request(p);
    assertThat(r.model()).isEqualTo("gpt-4o");
    assertThat(r.inputTokensBound()).isEqualTo(8 + 8 + 5 + 8);
    assertThat(r.maxOutputTokens()).isEqualTo(64);
    assertThat(Operation.RESPONSES.request(p.toBuilder().previousResponseId("resp_1").build()).inputTokensBound())
        .isEqualTo(-1);
    assertThat(Operation.RESPONSES.request(p.toBuilder()
        .addTool(WebSearchTool.builder().type(WebSearchTool.Type.WEB_SEARCH).build()).build()).inputTokensBound())
        .isEqualTo(-1);
    assertThat(Operation.RESPONSES.request(null).model()).isEqualTo(Operation.UNKNOWN_MODEL);
  }

  @Test
  void embeddingBoundsCountBytesOrTokenIds() {
    EmbeddingCreateParams text = EmbeddingCreateParams.builder().model(EmbeddingModel.TEXT_EMBEDDING_3_SMALL)
        .inputOfArrayOfStrings(List.of("Hello", "wörld")).build();
    Operation.Request r = Operation.EMBEDDINGS.request(text);
    assertThat(r.model()).isEqualTo("text-embedding-3-small");
    assertThat(r.inputTokensBound()).isEqualTo(5 + 6);
    assertThat(r.maxOutputTokens()).isZero();
    EmbeddingCreateParams tokens = text.toBuilder().inputOfArrayOfTokens(List.of(1L, 2L, 3L)).build();
    assertThat(Operation.EMBEDDINGS.request(tokens).inputTokensBound()).isEqualTo(3);
  }
}

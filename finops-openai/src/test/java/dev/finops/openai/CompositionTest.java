package dev.finops.openai;

import static dev.finops.openai.TestSupport.chat;
import static dev.finops.openai.TestSupport.chatWithUsage;
import static dev.finops.openai.TestSupport.ledgerRecords;
import static dev.finops.openai.TestSupport.ledgerTotal;
import static dev.finops.openai.TestSupport.times;
import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.core.http.AsyncStreamResponse;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import dev.finops.core.FinOps;
import dev.finops.core.TokenConventions;
import dev.finops.core.Tags;
import dev.finops.fake.FakeModelServer;
import dev.finops.otel.CostSpanExporter;
import dev.finops.otel.FinOpsTelemetry;
import io.opentelemetry.instrumentation.openai.v1_1.OpenAITelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * finops' wrapper with OpenTelemetry's OpenAI instrumentation ({@code OpenAITelemetry.wrap}), in both
 * orders, under any sampling, and beside the {@link CostSpanExporter}: every call recorded, once.
 */
class CompositionTest {

  /** Which wrapper is outside. */
  enum Order {
    /** {@code OpenAITelemetry.wrap(finops.wrap(client))}: the cost lands on OpenTelemetry's span. */
    OTEL_OUTSIDE,
    /** {@code finops.wrap(OpenAITelemetry.wrap(client))}: OpenTelemetry's span ends before finops sees the response. */
    FINOPS_OUTSIDE
  }

  private FakeModelServer server;
  private FinOps finops;
  private OpenAIClient raw;
  private OpenTelemetrySdk sdk;
  private InMemorySpanExporter spans = InMemorySpanExporter.create();

  @BeforeEach
  void setUp() throws Exception {
    server = FakeModelServer.start();
    finops = TestSupport.finops();
    raw = TestSupport.client(server.openAiBaseUrl());
  }

  @AfterEach
  void tearDown() {
    if (sdk != null) {
      sdk.close();
    }
    raw.close();
    server.close();
  }

  private OpenTelemetrySdk sdk(Sampler sampler, Function<InMemorySpanExporter, SpanProcessor> processor) {
    sdk = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().setSampler(sampler).addSpanProcessor(processor.apply(spans))
            .build())
        .build();
    return sdk;
  }

  private static OpenAIClient compose(Order order, OpenAIClient raw, FinOpsOpenAI finops, OpenAITelemetry otel) {
    return order == Order.OTEL_OUTSIDE ? otel.wrap(finops.wrap(raw)) : finops.wrap(otel.wrap(raw));
  }

  private static List<SpanData> chatSpans(InMemorySpanExporter exporter) {
    return exporter.getFinishedSpanItems().stream()
        .filter(s -> "chat".equals(s.getAttributes().get(stringKey("gen_ai.operation.name"))))
        .collect(Collectors.toList());
  }

  @ParameterizedTest
  @EnumSource(Order.class)
  void everyCallIsRecordedWhateverTheSampling(Order order) {
    for (Sampler sampler : new Sampler[] {Sampler.traceIdRatioBased(0.1), Sampler.alwaysOn()}) {
      FinOps ledger = TestSupport.finops();
      OpenTelemetrySdk otel = sdk(sampler, SimpleSpanProcessor::create);
      FinOpsTelemetry telemetry = FinOpsTelemetry.builder(ledger).openTelemetry(otel).build();
      OpenAIClient client = compose(order, raw, FinOpsOpenAI.create(telemetry), OpenAITelemetry.create(otel));
      for (int i = 0; i < 50; i++) {
        client.chat().completions().create(chat());
      }
      assertThat(ledgerRecords(ledger)).as(order + " " + sampler).isEqualTo(50);
      assertThat(ledgerTotal(ledger)).as(order + " " + sampler).isEqualByComparingTo(times(50));
      if (sampler == Sampler.alwaysOn()) {
        assertThat(chatSpans(spans)).hasSize(50);
      } else {
        assertThat(chatSpans(spans)).hasSizeLessThan(50); // 10% of the traces (about 5), and still 50 recorded
      }
      sdk.close(); // shuts the exporter down too
      sdk = null;
      spans = InMemorySpanExporter.create();
    }
  }

  @ParameterizedTest
  @EnumSource(Order.class)
  void asyncCallsAndStreamsAreRecordedInBothOrders(Order order) throws Exception {
    OpenTelemetrySdk otel = sdk(Sampler.alwaysOn(), SimpleSpanProcessor::create);
    FinOpsTelemetry telemetry = FinOpsTelemetry.builder(finops).openTelemetry(otel).build();
    OpenAIClient client = compose(order, raw, FinOpsOpenAI.create(telemetry), OpenAITelemetry.create(otel));
    for (int i = 0; i < 5; i++) {
      client.async().chat().completions().create(chat()).get(10, TimeUnit.SECONDS);
    }
    AsyncStreamResponse<ChatCompletionChunk> s = client.async().chat().completions().createStreaming(chatWithUsage());
    s.subscribe(chunk -> {});
    s.onCompleteFuture().get(10, TimeUnit.SECONDS);
    try (StreamResponse<ChatCompletionChunk> blocking = client.chat().completions().createStreaming(chatWithUsage())) {
      blocking.stream().forEach(chunk -> {});
    }
    assertThat(ledgerRecords(finops)).isEqualTo(7);
    assertThat(ledgerTotal(finops)).isEqualByComparingTo(times(7));
    assertThat(chatSpans(spans)).hasSize(7);
    if (order == Order.OTEL_OUTSIDE) {
      assertThat(chatSpans(spans)).allSatisfy(
          span -> assertThat(span.getAttributes().get(stringKey("finops.cost.amount"))).isEqualTo("0.01"));
    }
  }

  @Test
  void withOpenTelemetryOutsideTheCostLandsOnItsSpan() {
    OpenTelemetrySdk otel = sdk(Sampler.alwaysOn(), SimpleSpanProcessor::create);
    FinOpsTelemetry telemetry = FinOpsTelemetry.builder(finops).openTelemetry(otel).build();
    OpenAIClient client = OpenAITelemetry.create(otel).wrap(FinOpsOpenAI.create(telemetry).wrap(raw));

    ChatCompletion c = client.chat().completions().create(chat());
    try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(chatWithUsage())) {
      s.stream().forEach(chunk -> {});
    }

    List<SpanData> chat = chatSpans(spans);
    assertThat(chat).hasSize(2);
    for (SpanData span : chat) {
      assertThat(span.getAttributes().get(stringKey("finops.cost.amount"))).isEqualTo("0.01");
      assertThat(span.getAttributes().get(stringKey("finops.cost.currency"))).isEqualTo("USD");
    }
    assertThat(chat.get(0).getAttributes().get(stringKey("gen_ai.response.id"))).isEqualTo(c.id());
    assertThat(ledgerTotal(finops)).isEqualByComparingTo(times(2));
  }

  @Test
  void withOpenTelemetryOutsideTheExporterLeavesThePricedSpansAlone() {
    FinOpsTelemetry telemetry = FinOpsTelemetry.builder(finops).build();
    CostSpanExporter exporter = CostSpanExporter.wrap(spans, telemetry);
    OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
        .build();
    sdk = otel;
    OpenAIClient client = OpenAITelemetry.create(otel).wrap(FinOpsOpenAI.create(telemetry).wrap(raw));
    for (int i = 0; i < 10; i++) {
      client.chat().completions().create(chat());
    }
    assertThat(chatSpans(spans)).hasSize(10);
    assertThat(ledgerRecords(finops)).isEqualTo(10);
    assertThat(ledgerTotal(finops)).isEqualByComparingTo(times(10));
    assertThat(exporter.pricedSpans()).isZero(); // they carry finops.cost.amount already
  }

  @Test
  void withFinOpsOutsideAndABatchExporterTheExporterFindsTheCallsRecorded() {
    FinOpsTelemetry telemetry = FinOpsTelemetry.builder(finops).build();
    CostSpanExporter exporter = CostSpanExporter.wrap(spans, telemetry);
    OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder()
            .addSpanProcessor(BatchSpanProcessor.builder(exporter).setScheduleDelay(Duration.ofMinutes(1)).build())
            .build())
        .build();
    sdk = otel;
    OpenAIClient client = FinOpsOpenAI.create(telemetry).wrap(OpenAITelemetry.create(otel).wrap(raw));
    for (int i = 0; i < 10; i++) {
      client.chat().completions().create(chat());
    }
    otel.getSdkTracerProvider().forceFlush().join(10, TimeUnit.SECONDS);
    assertThat(chatSpans(spans)).hasSize(10);
    assertThat(exporter.alreadyRecordedSpans()).isEqualTo(10);
    assertThat(exporter.pricedSpans()).isZero();
    assertThat(ledgerRecords(finops)).isEqualTo(10);
    assertThat(ledgerTotal(finops)).isEqualByComparingTo(times(10));
  }

  /**
   * With finops outside and a synchronous span processor, OpenTelemetry's span ends (and is exported,
   * and priced by the exporter) before the wrapper sees the response: the wrapper then finds the call
   * recorded and does not count it again. Counted once, but at the price of the span's counts, which have
   * no cache reads: see the README.
   */
  @Test
  void withFinOpsOutsideAndASimpleProcessorEachCallIsStillCountedOnce() {
    FinOpsTelemetry telemetry = FinOpsTelemetry.builder(finops).build();
    CostSpanExporter exporter = CostSpanExporter.wrap(spans, telemetry);
    OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
        .build();
    sdk = otel;
    OpenAIClient client = FinOpsOpenAI.create(telemetry).wrap(OpenAITelemetry.create(otel).wrap(raw));
    for (int i = 0; i < 10; i++) {
      client.chat().completions().create(chat());
    }
    assertThat(ledgerRecords(finops)).isEqualTo(10);
    assertThat(exporter.pricedSpans() + exporter.alreadyRecordedSpans()).isEqualTo(10);
    // Known gap (finops-otel): the exporter won the race and priced OpenTelemetry's counts, which carry no
    // cache reads (3,000 tokens uncached: $0.0125 a call, not $0.0100). Prefer OpenTelemetry outside.
    assertThat(telemetry.duplicateCalls()).isEqualTo(10);
  }

  @Test
  void aCallRecordedAgainByIdIsCountedOnce() {
    FinOpsTelemetry telemetry = FinOpsTelemetry.builder(finops).build();
    OpenAIClient client = FinOpsOpenAI.create(telemetry).wrap(raw);
    ChatCompletion c = client.chat().completions().create(chat());
    assertThat(telemetry.record(Tags.EMPTY, "openai", c.model(),
        TokenConventions.fromInclusive(3_000, 500, 2_000, 0, 0), c.id())).isNull();
    assertThat(ledgerRecords(finops)).isEqualTo(1);
    assertThat(ledgerTotal(finops)).isEqualByComparingTo(times(1));
    assertThat(telemetry.duplicateCalls()).isEqualTo(1);
  }
}

package dev.finops.otel;

import static dev.finops.otel.FinOpsAttributes.FINOPS_COST_AMOUNT;
import static dev.finops.otel.FinOpsAttributes.FINOPS_RUN;
import static dev.finops.otel.FinOpsAttributes.GEN_AI_USAGE_INPUT_TOKENS;
import static dev.finops.otel.Fixtures.MINI_CALL;
import static dev.finops.otel.Fixtures.MINI_CALL_COST;
import static dev.finops.otel.Fixtures.NLP;
import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.core.FinOps;
import dev.finops.core.ManualClock;
import dev.finops.core.Tags;
import dev.finops.core.TokenConventions;
import dev.finops.core.pricing.PricedUsage;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Span costs left for the export ({@link FinOpsTelemetry#wrapExporter}): the same attributes as written
 * on the span, on the right span under concurrency, nothing kept for spans that are not exported.
 */
class SpanCostsAtExportTest {

  private final ManualClock clock = Fixtures.clock();
  private final List<SdkTracerProvider> providers = new ArrayList<>();

  @AfterEach
  void tearDown() {
    providers.forEach(SdkTracerProvider::close);
  }

  private SdkTracerProvider provider(SdkTracerProviderBuilder b) {
    SdkTracerProvider p = b.build();
    providers.add(p);
    return p;
  }

  /** A pipeline exporting through {@code telemetry.wrapExporter}, on a batch processor's worker. */
  private CostSpanExporter wrapped(FinOpsTelemetry telemetry, InMemorySpanExporter to, SdkTracerProviderBuilder b,
      int queue) {
    CostSpanExporter exporter = telemetry.wrapExporter(to);
    b.addSpanProcessor(BatchSpanProcessor.builder(exporter).setMaxQueueSize(queue).setMaxExportBatchSize(512)
        .setScheduleDelay(Duration.ofMillis(50)).build());
    return exporter;
  }

  private static void flush(SdkTracerProvider provider) {
    assertThat(provider.forceFlush().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
  }

  /** What a GenAI instrumentation writes on the span of a call (the attributes of OtelBenchmark's spanGenAi). */
  private static final Attributes INSTRUMENTATION = Attributes.builder()
      .put("gen_ai.operation.name", "chat")
      .put("gen_ai.provider.name", "openai")
      .put("gen_ai.request.model", "gpt-4o-mini")
      .put("gen_ai.response.model", "gpt-4o-mini-2024-07-18")
      .put("gen_ai.usage.input_tokens", 3_000L)
      .put("gen_ai.usage.output_tokens", 500L)
      .put("gen_ai.usage.cache_read.input_tokens", 2_000L)
      .build();

  private static Span genAiSpan(Tracer tracer, String name) {
    return tracer.spanBuilder(name).setSpanKind(SpanKind.CLIENT).setAllAttributes(INSTRUMENTATION).startSpan();
  }

  enum Tagging {
    TAG_SPAN {
      @Override
      void tag(FinOpsTelemetry t, Span span, PricedUsage priced) {
        t.tagSpan(span, priced, NLP);
      }
    },
    TAG_SPAN_COST {
      @Override
      void tag(FinOpsTelemetry t, Span span, PricedUsage priced) {
        t.tagSpanCost(span, priced, NLP);
      }
    },
    RECORD {
      @Override
      void tag(FinOpsTelemetry t, Span span, PricedUsage priced) {
        t.record(span, NLP, "openai", "gpt-4o-mini", MINI_CALL, null);
      }
    };

    abstract void tag(FinOpsTelemetry t, Span span, PricedUsage priced);
  }

  /** The span of one call, tagged one way, exported with costs on the span or added at export. */
  private SpanData exportedCall(Tagging tagging, CostAttributes style, boolean atExport, List<String> seenOnEnd) {
    FinOps finops = Fixtures.finops(clock);
    FinOpsTelemetry telemetry = FinOpsTelemetry.builder(finops).costAttributes(style).build();
    InMemorySpanExporter to = InMemorySpanExporter.create();
    SdkTracerProviderBuilder b = SdkTracerProvider.builder().addSpanProcessor(new OnEnd(seenOnEnd));
    CostSpanExporter exporter = null;
    if (atExport) {
      exporter = wrapped(telemetry, to, b, 2048);
    } else {
      b.addSpanProcessor(SimpleSpanProcessor.create(to));
    }
    SdkTracerProvider provider = provider(b);
    Span span = genAiSpan(provider.get("instrumentation"), "chat gpt-4o-mini");
    tagging.tag(telemetry, span, finops.price("openai", "gpt-4o-mini", MINI_CALL));
    span.end();
    flush(provider);
    assertThat(to.getFinishedSpanItems()).hasSize(1);
    if (exporter != null) {
      assertThat(exporter.spanCostsAdded()).isEqualTo(1);
      assertThat(exporter.pricedSpans()).as("not priced again from its usage attributes").isZero();
      assertThat(telemetry.spanCosts().size()).isZero();
    }
    if (tagging != Tagging.RECORD) {
      assertThat(finops.snapshot().total().cost().isZero()).as("tagging records nothing, nor does the exporter")
          .isTrue();
    }
    return to.getFinishedSpanItems().get(0);
  }

  /** Reads the cost amount from the span in a processor's onEnd, which runs before the export. */
  private record OnEnd(List<String> seen) implements SpanProcessor {
    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {}

    @Override
    public boolean isStartRequired() {
      return false;
    }

    @Override
    public void onEnd(ReadableSpan span) {
      seen.add(String.valueOf(span.getAttribute(FINOPS_COST_AMOUNT)));
    }

    @Override
    public boolean isEndRequired() {
      return true;
    }
  }

  @ParameterizedTest
  @EnumSource(Tagging.class)
  void exported_attributes_are_those_written_on_the_span_with_each_cost_style(Tagging tagging) {
    for (CostAttributes style : CostAttributes.values()) {
      List<String> onSpan = new ArrayList<>();
      List<String> atExport = new ArrayList<>();
      SpanData immediate = exportedCall(tagging, style, false, onSpan);
      SpanData deferred = exportedCall(tagging, style, true, atExport);

      assertThat(deferred.getAttributes().asMap()).as("%s %s", tagging, style)
          .isEqualTo(immediate.getAttributes().asMap());
      assertThat(deferred.getTotalAttributeCount()).isEqualTo(immediate.getTotalAttributeCount());
      assertThat(deferred.getAttributes().size()).isGreaterThan(7); // the seven the instrumentation wrote, and more
      if (style != CostAttributes.GEN_AI) {
        assertThat(deferred.getAttributes().get(FINOPS_COST_AMOUNT)).isEqualTo(MINI_CALL_COST);
        assertThat(onSpan).containsExactly(MINI_CALL_COST);
        // the trade-off: the request thread wrote nothing, so processors before the export see no cost
        assertThat(atExport).containsExactly("null");
      }
    }
  }

  @Test
  void a_span_that_is_not_sampled_stores_nothing_and_one_recorded_only_gets_its_attributes_on_the_span() {
    FinOps finops = Fixtures.finops(clock);
    FinOpsTelemetry telemetry = FinOpsTelemetry.builder(finops).build();
    PricedUsage priced = finops.price("openai", "gpt-4o-mini", MINI_CALL);
    SdkTracerProviderBuilder off = SdkTracerProvider.builder().setSampler(Sampler.alwaysOff());
    wrapped(telemetry, InMemorySpanExporter.create(), off, 2048);
    SpanCosts table = telemetry.spanCosts();

    Span dropped = provider(off).get("t").spanBuilder("chat").startSpan();
    telemetry.tagSpan(dropped, priced, NLP);
    dropped.end();
    // a remote parent's context, sampled, wrapped as the current span: not a span exported here
    Span remote = Span.wrap(SpanContext.createFromRemoteParent("0af7651916cd43dd8448eb211c80319c",
        "b7ad6b7169203331", TraceFlags.getSampled(), TraceState.getDefault()));
    telemetry.tagSpan(remote, priced, NLP);
    assertThat(table.size()).isZero();

    List<String> seen = new ArrayList<>();
    Span recordOnly = provider(SdkTracerProvider.builder().setSampler(new RecordOnly())
        .addSpanProcessor(new OnEnd(seen))).get("t").spanBuilder("chat").startSpan();
    telemetry.tagSpanCost(recordOnly, priced, NLP);
    recordOnly.end();
    assertThat(table.size()).isZero();
    assertThat(seen).containsExactly(MINI_CALL_COST);
    assertThat(telemetry.spanCostsOverflowed()).isZero();
  }

  private static final class RecordOnly implements Sampler {
    @Override
    public SamplingResult shouldSample(Context parentContext, String traceId, String name, SpanKind spanKind,
        Attributes attributes, List<LinkData> parentLinks) {
      return SamplingResult.recordOnly();
    }

    @Override
    public String getDescription() {
      return "record only";
    }
  }

  /**
   * Threads tag their own spans, each with its own usage and run, while the batch processor exports: each
   * exported span carries its own cost and run, none is missing, none is priced twice. With 16 slots most
   * outcomes find the table full and are written on the span; with 4,096 nearly all wait in it.
   */
  @ParameterizedTest
  @ValueSource(ints = {16, 4096})
  void under_concurrency_each_exported_span_carries_its_own_cost(int slots) throws Exception {
    int threads = 8;
    int perThread = 500;
    FinOps finops = Fixtures.finops(clock);
    FinOpsTelemetry telemetry = FinOpsTelemetry.builder(finops).spanCostSlots(slots).build();
    InMemorySpanExporter to = InMemorySpanExporter.create();
    SdkTracerProviderBuilder b = SdkTracerProvider.builder();
    CostSpanExporter exporter = wrapped(telemetry, to, b, threads * perThread);
    SdkTracerProvider provider = provider(b);
    Tracer tracer = provider.get("instrumentation");
    Map<String, PricedUsage> expected = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      done.add(pool.submit(() -> {
        start.await();
        for (int i = 0; i < perThread; i++) {
          String run = "run-" + thread + "-" + i;
          PricedUsage priced = finops.price("openai", "gpt-4o-mini",
              TokenConventions.fromInclusive(1_000L * thread + i + 1, 7L * i + 1, 0, 0, 0));
          expected.put(run, priced);
          Span span = tracer.spanBuilder(run).startSpan();
          telemetry.tagSpan(span, priced, Tags.builder().team("nlp").run(run).build());
          span.end();
        }
        return null;
      }));
    }
    start.countDown();
    for (Future<?> f : done) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    flush(provider);

    List<SpanData> spans = to.getFinishedSpanItems();
    assertThat(spans).hasSize(threads * perThread);
    for (SpanData s : spans) {
      PricedUsage priced = expected.get(s.getName());
      assertThat(s.getAttributes().get(FINOPS_RUN)).isEqualTo(s.getName());
      assertThat(s.getAttributes().get(GEN_AI_USAGE_INPUT_TOKENS)).isEqualTo(priced.usage().inputTokens());
      assertThat(s.getAttributes().get(FINOPS_COST_AMOUNT)).isEqualTo(Costs.plain(priced));
    }
    assertThat(exporter.spanCostsAdded() + telemetry.spanCostsOverflowed()).isEqualTo(threads * perThread);
    assertThat(exporter.pricedSpans()).isZero();
    assertThat(telemetry.spanCostsEvicted()).isZero();
    assertThat(telemetry.spanCosts().size()).isZero();
    if (slots == 16) {
      assertThat(telemetry.spanCostsOverflowed()).isPositive();
    } else {
      assertThat(exporter.spanCostsAdded()).isGreaterThan(threads * perThread / 2);
    }
  }

  /**
   * Spans that are never exported through the wrapper (another pipeline here; a dropped span or one
   * tagged after its end alike) fill the table no further than its size; once their entries are ten
   * minutes old in export time, puts evict them, and count it.
   */
  @Test
  void outcomes_of_spans_never_exported_stay_bounded_and_are_evicted_when_stale() {
    FinOps finops = Fixtures.finops(clock);
    FinOpsTelemetry telemetry = FinOpsTelemetry.builder(finops).spanCostSlots(16).build();
    PricedUsage priced = finops.price("openai", "gpt-4o-mini", MINI_CALL);
    InMemorySpanExporter to = InMemorySpanExporter.create();
    SdkTracerProviderBuilder b = SdkTracerProvider.builder();
    wrapped(telemetry, to, b, 2048);
    SdkTracerProvider exportedHere = provider(b);
    Tracer elsewhere = provider(SdkTracerProvider.builder()).get("elsewhere");
    SpanCosts table = telemetry.spanCosts();

    tagSpans(telemetry, elsewhere, priced, 100, "chat");
    int kept = table.size();
    assertThat(kept).isLessThanOrEqualTo(16).isPositive();
    assertThat(telemetry.spanCostsOverflowed()).isEqualTo(100 - kept);
    assertThat(telemetry.spanCostsEvicted()).isZero();

    // not stale yet: a span exported here finds the table full and gets its cost on the span
    clock.advance(Duration.ofMinutes(10).minusSeconds(1));
    exportOne(telemetry, exportedHere, priced, "fresh");
    assertThat(telemetry.spanCostsEvicted()).isZero();
    assertThat(to.getFinishedSpanItems().get(0).getAttributes().get(FINOPS_COST_AMOUNT)).isEqualTo(MINI_CALL_COST);

    clock.advance(Duration.ofSeconds(2));
    exportOne(telemetry, exportedHere, priced, "tick"); // the export that moves the table's clock on
    long overflowed = telemetry.spanCostsOverflowed();
    tagSpans(telemetry, elsewhere, priced, 100, "chat");
    int size = table.size();
    long evicted = telemetry.spanCostsEvicted();
    assertThat(size).isLessThanOrEqualTo(16);
    assertThat(evicted).as("every stale entry evicted").isEqualTo(kept);
    // stored this round: the evicted slots, and any slot that was free
    assertThat(telemetry.spanCostsOverflowed() - overflowed).isEqualTo(100 - (evicted + size - kept));
  }

  private static void exportOne(FinOpsTelemetry telemetry, SdkTracerProvider provider, PricedUsage priced,
      String name) {
    tagSpans(telemetry, provider.get("t"), priced, 1, name);
    flush(provider);
  }

  private static void tagSpans(FinOpsTelemetry telemetry, Tracer tracer, PricedUsage priced, int count,
      String name) {
    for (int i = 0; i < count; i++) {
      Span span = tracer.spanBuilder(name).startSpan();
      telemetry.tagSpanCost(span, priced, NLP);
      span.end();
    }
  }

  @Test
  void wrapping_switches_tagging_to_export_time_and_a_plain_cost_exporter_does_not() {
    FinOpsTelemetry telemetry = FinOpsTelemetry.builder(Fixtures.finops(clock)).spanCostSlots(1000).build();
    CostSpanExporter plain = CostSpanExporter.wrap(InMemorySpanExporter.create(), telemetry);
    assertThat(plain.export(List.of()).join(1, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(telemetry.spanCosts()).isNull();

    CostSpanExporter lookedUp = CostSpanExporter.builder(InMemorySpanExporter.create(), () -> telemetry)
        .spanCostsAtExport(true).build();
    assertThat(telemetry.spanCosts()).as("the telemetry is looked up at the first export").isNull();
    assertThat(lookedUp.export(List.of()).join(1, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(telemetry.spanCosts()).isNotNull();
    assertThat(telemetry.spanCosts().slots()).isEqualTo(1024);

    FinOpsTelemetry other = FinOpsTelemetry.builder(Fixtures.finops(clock)).build();
    other.wrapExporter(InMemorySpanExporter.create());
    assertThat(other.spanCosts().slots()).isEqualTo(4096);
  }
}

package dev.finops.benchmarks;

import dev.finops.core.Clock;
import dev.finops.core.FinOps;
import dev.finops.core.Tags;
import dev.finops.core.TokenConventions;
import dev.finops.core.Usage;
import dev.finops.core.pricing.PricedUsage;
import dev.finops.otel.CostSpanExporter;
import dev.finops.otel.CostTracked;
import dev.finops.otel.FinOpsTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of finops-otel on the request path, against baselines in the same run.
 *
 * <ul>
 *   <li>{@code spanBare}: start and end a span with the SDK (always-on sampling, {@code
 *       BatchSpanProcessor}, no-op exporter), no attributes: the reference point of OpenTelemetry's own
 *       {@code SpanRecordBenchmark}.
 *   <li>{@code spanGenAi}: the same span with what a GenAI instrumentation writes (operation, provider,
 *       request and response model, input, output and cache-read tokens). The plain baseline.
 *   <li>{@code spanGenAiWithCost}: {@code spanGenAi} plus {@code FinOpsTelemetry.tagSpan} of an already
 *       priced usage (cost amount as an exact string, currency, source, team and project). Target:
 *       at most 10% over {@code spanGenAi}.
 *   <li>{@code spanGenAiWithCostOnly}: {@code spanGenAi} plus {@code FinOpsTelemetry.tagSpanCost}, which
 *       writes only what the span lacks (cost amount, currency, source, team and project: five
 *       attributes instead of ten). Same target.
 *   <li>{@code spanGenAiWithCostAtExport}: {@code spanGenAi} plus {@code tagSpan} on a telemetry whose
 *       exporter adds span costs at export ({@code FinOpsTelemetry.wrapExporter} around the no-op
 *       exporter, on the same kind of batch processor): the request thread leaves the outcome in the
 *       table instead of writing ten attributes; the same span and instrumentation attributes, so it
 *       compares with {@code spanGenAiWithCost}. Same target. The batch processor cannot keep up with
 *       one thread ending spans back to back and drops most of them (in every span benchmark here), so
 *       the outcomes of dropped spans would fill the table until they are ten minutes old; this
 *       telemetry's clock jumps eleven minutes at each read (the exporter reads it once per export) so
 *       that they are stale after the next export, and its table has 16,384 slots, so that the spans
 *       ended between two exports fit: a put finds a free or stale slot, mostly its first. The teardown
 *       prints how many outcomes were added at export, evicted, or written on the span because the
 *       table was full (which should be few; those take the slow path).
 *   <li>{@code spanGenAiWithCostOnlyAtExport}: the same with {@code tagSpanCost}.
 *   <li>{@code spanGenAiSyncExport}, {@code spanGenAiWithCostSyncExport}, {@code
 *       spanGenAiWithCostAtExportSyncExport}: {@code spanGenAi}, with {@code tagSpan}, and with {@code
 *       tagSpan} left for the export, on a {@code SimpleSpanProcessor} that exports on the ending thread
 *       (to the no-op exporter, through {@code wrapExporter} for the last): the whole cost of each path,
 *       export included; the last minus the first is the put, the take and the attributes added at
 *       export.
 *   <li>{@code handlerDirect}: a call of the handler implementation.
 *   <li>{@code handlerWrapped}: the same call through {@code FinOpsTelemetry.wrap} on a no-op
 *       OpenTelemetry (no span, no-op meter): proxy, usage extraction, pricing, ledger record. Target:
 *       at most 200 ns over {@code handlerDirect}.
 *   <li>{@code handlerWrappedSdkMetrics}: the same with the SDK's meter (cost counter, cost histogram
 *       and token histogram recorded), still without a span.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class OtelBenchmark {

  /** A provider response as a client returns it. */
  public record Reply(long promptTokens, long cachedTokens, long completionTokens) {}

  public interface Assistant {
    @CostTracked(model = "gpt-4o-mini", provider = "openai", tags = {"team=nlp", "project=search"})
    Reply ask(String question);
  }

  public static final class FixedAssistant implements Assistant {
    @Override
    public Reply ask(String question) {
      return new Reply(3_000, 2_000, question.length());
    }
  }

  private SdkTracerProvider tracerProvider;
  private Tracer tracer;
  private FinOpsTelemetry spanTelemetry;
  private PricedUsage priced;
  private Tags tags;

  private SdkTracerProvider atExportProvider;
  private Tracer atExportTracer;
  private FinOpsTelemetry atExportTelemetry;
  private CostSpanExporter atExportExporter;
  private SdkTracerProvider syncProvider;
  private Tracer syncTracer;
  private SdkTracerProvider syncAtExportProvider;
  private Tracer syncAtExportTracer;
  private FinOpsTelemetry syncAtExportTelemetry;
  private CostSpanExporter syncAtExportExporter;

  private Assistant direct;
  private Assistant wrapped;
  private SdkMeterProvider meterProvider;
  private Assistant wrappedSdkMetrics;

  @Setup
  public void setUp() {
    FinOps finops = FinOps.builder().build();
    tracerProvider = SdkTracerProvider.builder()
        .addSpanProcessor(BatchSpanProcessor.builder(SpanExporter.composite(List.of())).build())
        .build();
    tracer = tracerProvider.get("bench");
    spanTelemetry = FinOpsTelemetry.create(OpenTelemetry.noop(), finops);
    Usage usage = TokenConventions.fromInclusive(3_000, 500, 2_000, 0, 0);
    priced = finops.price("openai", "gpt-4o-mini", usage);
    tags = Tags.builder().team("nlp").project("search").build();

    atExportTelemetry = FinOpsTelemetry.builder(FinOps.builder().clock(new JumpingClock()).build())
        .openTelemetry(OpenTelemetry.noop()).spanCostSlots(16_384).build();
    atExportExporter = atExportTelemetry.wrapExporter(SpanExporter.composite(List.of()));
    atExportProvider = SdkTracerProvider.builder()
        .addSpanProcessor(BatchSpanProcessor.builder(atExportExporter).build())
        .build();
    atExportTracer = atExportProvider.get("bench");
    syncProvider = SdkTracerProvider.builder()
        .addSpanProcessor(SimpleSpanProcessor.create(SpanExporter.composite(List.of())))
        .build();
    syncTracer = syncProvider.get("bench");
    syncAtExportTelemetry = FinOpsTelemetry.create(OpenTelemetry.noop(), finops);
    syncAtExportExporter = syncAtExportTelemetry.wrapExporter(SpanExporter.composite(List.of()));
    syncAtExportProvider = SdkTracerProvider.builder()
        .addSpanProcessor(SimpleSpanProcessor.create(syncAtExportExporter))
        .build();
    syncAtExportTracer = syncAtExportProvider.get("bench");

    direct = new FixedAssistant();
    wrapped = FinOpsTelemetry.builder(finops).openTelemetry(OpenTelemetry.noop())
        .usageExtractor(Reply.class, r -> TokenConventions.fromInclusive(r.promptTokens(), r.completionTokens(),
            r.cachedTokens(), 0, 0))
        .build().wrap(Assistant.class, direct);
    meterProvider = SdkMeterProvider.builder().registerMetricReader(InMemoryMetricReader.create()).build();
    wrappedSdkMetrics = FinOpsTelemetry.builder(finops).openTelemetry(metricsOnly(meterProvider))
        .usageExtractor(Reply.class, r -> TokenConventions.fromInclusive(r.promptTokens(), r.completionTokens(),
            r.cachedTokens(), 0, 0))
        .build().wrap(Assistant.class, direct);
  }

  /** The SDK's meter and no tracing (an SDK built without a tracer provider would record spans). */
  private static OpenTelemetry metricsOnly(MeterProvider meters) {
    return new OpenTelemetry() {
      @Override
      public TracerProvider getTracerProvider() {
        return TracerProvider.noop();
      }

      @Override
      public MeterProvider getMeterProvider() {
        return meters;
      }

      @Override
      public ContextPropagators getPropagators() {
        return ContextPropagators.noop();
      }
    };
  }

  /** Eleven minutes later at each read: see {@code spanGenAiWithCostAtExport}. */
  private static final class JumpingClock implements Clock {
    private final AtomicLong millis = new AtomicLong(System.currentTimeMillis());

    @Override
    public long wallTimeMillis() {
      return millis.addAndGet(660_000);
    }

    @Override
    public long monotonicNanos() {
      return System.nanoTime();
    }
  }

  @TearDown
  public void tearDown() {
    tracerProvider.close();
    meterProvider.close();
    atExportProvider.close();
    syncProvider.close();
    syncAtExportProvider.close();
    System.out.printf("%nspan costs at export: %d added at export, %d evicted, %d written on the span (table full);"
        + " sync export: %d added, %d written on the span%n", atExportExporter.spanCostsAdded(),
        atExportTelemetry.spanCostsEvicted(), atExportTelemetry.spanCostsOverflowed(),
        syncAtExportExporter.spanCostsAdded(), syncAtExportTelemetry.spanCostsOverflowed());
  }

  @Benchmark
  public void spanBare() {
    tracer.spanBuilder("chat gpt-4o-mini").startSpan().end();
  }

  private Span genAiSpan() {
    return genAiSpan(tracer);
  }

  private static Span genAiSpan(Tracer tracer) {
    Span span = tracer.spanBuilder("chat gpt-4o-mini").setSpanKind(SpanKind.CLIENT)
        .setAttribute("gen_ai.operation.name", "chat")
        .setAttribute("gen_ai.provider.name", "openai")
        .setAttribute("gen_ai.request.model", "gpt-4o-mini")
        .startSpan();
    span.setAttribute("gen_ai.response.model", "gpt-4o-mini-2024-07-18");
    span.setAttribute("gen_ai.usage.input_tokens", 3_000L);
    span.setAttribute("gen_ai.usage.output_tokens", 500L);
    span.setAttribute("gen_ai.usage.cache_read.input_tokens", 2_000L);
    return span;
  }

  @Benchmark
  public void spanGenAi() {
    genAiSpan().end();
  }

  @Benchmark
  public void spanGenAiWithCost() {
    Span span = genAiSpan();
    spanTelemetry.tagSpan(span, priced, tags);
    span.end();
  }

  @Benchmark
  public void spanGenAiWithCostOnly() {
    Span span = genAiSpan();
    spanTelemetry.tagSpanCost(span, priced, tags);
    span.end();
  }

  @Benchmark
  public void spanGenAiWithCostAtExport() {
    Span span = genAiSpan(atExportTracer);
    atExportTelemetry.tagSpan(span, priced, tags);
    span.end();
  }

  @Benchmark
  public void spanGenAiWithCostOnlyAtExport() {
    Span span = genAiSpan(atExportTracer);
    atExportTelemetry.tagSpanCost(span, priced, tags);
    span.end();
  }

  @Benchmark
  public void spanGenAiSyncExport() {
    genAiSpan(syncTracer).end();
  }

  @Benchmark
  public void spanGenAiWithCostSyncExport() {
    Span span = genAiSpan(syncTracer);
    spanTelemetry.tagSpan(span, priced, tags);
    span.end();
  }

  @Benchmark
  public void spanGenAiWithCostAtExportSyncExport() {
    Span span = genAiSpan(syncAtExportTracer);
    syncAtExportTelemetry.tagSpan(span, priced, tags);
    span.end();
  }

  @Benchmark
  public Reply handlerDirect() {
    return direct.ask("hello");
  }

  @Benchmark
  public Reply handlerWrapped() {
    return wrapped.ask("hello");
  }

  @Benchmark
  public Reply handlerWrappedSdkMetrics() {
    return wrappedSdkMetrics.ask("hello");
  }
}

package dev.finops.otel;

import static dev.finops.otel.Fixtures.usd;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.finops.core.FinOps;
import dev.finops.core.ManualClock;
import dev.finops.core.Money;
import dev.finops.core.TokenConventions;
import dev.finops.core.budget.Budget;
import dev.finops.core.budget.BudgetManager;
import dev.finops.core.budget.Estimate;
import dev.finops.core.gpu.GpuSample;
import dev.finops.core.gpu.GpuSampleSource;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.junit5.OpenTelemetryExtension;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The cost counter, the per-request histogram, token usage, and the budget and GPU gauges. */
@SuppressWarnings("try") // scopes opened for their side effect, as OpenTelemetry does
class CostMetricsTest {

  @RegisterExtension
  static final OpenTelemetryExtension otel = OpenTelemetryExtension.create();

  interface Assistant {
    @CostTracked(model = "gpt-4o-mini", provider = "openai", tags = {"team=nlp", "project=search"})
    String ask(long inputTokens, long cachedTokens, long outputTokens);

    @CostTracked(model = "gpt-4o-mini", provider = "openai", tags = "team=billing")
    String askWithReportedCost(String amount);
  }

  static final class FakeAssistant implements Assistant {
    @Override
    public String ask(long inputTokens, long cachedTokens, long outputTokens) {
      CostContext.current().addUsage(TokenConventions.fromInclusive(inputTokens, outputTokens, cachedTokens, 0, 0));
      return "ok";
    }

    @Override
    public String askWithReportedCost(String amount) {
      CostContext.current().addUsage(TokenConventions.fromInclusive(1, 1, 0, 0, 0)).reportCost(Money.usd(amount));
      return "ok";
    }
  }

  private static final Attributes NLP_MINI = Attributes.builder().put("finops.team", "nlp")
      .put("finops.project", "search").put("finops.model", "gpt-4o-mini").put("finops.kind", "model")
      .put("finops.currency", "USD").build();

  private final ManualClock clock = Fixtures.clock();
  private final FinOps finops = Fixtures.finops(clock);

  private Optional<MetricData> metric(String name) {
    return otel.getMetrics().stream().filter(m -> m.getName().equals(name)).findFirst();
  }

  @Test
  void cost_counter_holds_the_exact_total_in_nano_units_with_bounded_attributes() {
    Assistant a = FinOpsTelemetry.create(otel.getOpenTelemetry(), finops).wrap(Assistant.class, new FakeAssistant());

    a.ask(3_000, 2_000, 500); // $0.0006
    a.ask(1_000_000, 0, 0);   // $0.15

    assertThat(metric("finops.cost.nanos").orElseThrow()).hasUnit("{nano_currency_unit}")
        .hasLongSumSatisfying(sum -> sum.isMonotonic()
            .hasPointsSatisfying(p -> p.hasValue(150_600_000L).hasAttributes(NLP_MINI)));
    assertThat(Fixtures.ledgerTotal(finops)).isEqualTo(usd("0.1506"));
  }

  @Test
  void sub_nano_remainders_are_carried_so_the_counter_never_drifts() {
    Assistant a = FinOpsTelemetry.create(otel.getOpenTelemetry(), finops).wrap(Assistant.class, new FakeAssistant());

    for (int i = 0; i < 3; i++) {
      a.askWithReportedCost("0.0000000015"); // 1.5 nano-dollars each
    }
    assertThat(metric("finops.cost.nanos").orElseThrow()).hasLongSumSatisfying(sum ->
        sum.hasPointsSatisfying(p -> p.hasValue(4))); // 4.5, rounded down
    a.askWithReportedCost("0.0000000015");
    assertThat(metric("finops.cost.nanos").orElseThrow()).hasLongSumSatisfying(sum ->
        sum.hasPointsSatisfying(p -> p.hasValue(6).hasAttributes(Attributes.builder().put("finops.team", "billing")
            .put("finops.model", "gpt-4o-mini").put("finops.kind", "caller_supplied").put("finops.currency", "USD")
            .build())));
  }

  @Test
  void per_request_cost_histogram_in_currency_units() {
    Assistant a = FinOpsTelemetry.create(otel.getOpenTelemetry(), finops).wrap(Assistant.class, new FakeAssistant());

    a.ask(3_000, 2_000, 500);
    a.ask(1_000_000, 0, 0);

    // Each value is the exact cost rounded once; their double sum is not exact (0.15059999999999998),
    // which is why the cost counter is a long in nano-units.
    assertThat(metric("finops.request.cost").orElseThrow()).hasUnit("{currency_unit}")
        .hasHistogramSatisfying(h -> h.hasPointsSatisfying(p -> p.hasCount(2)
            .satisfies(pt -> assertThat(pt.getSum()).isCloseTo(0.1506, within(1e-15))).hasMin(0.0006)
            .hasMax(0.15).hasBucketBoundaries(0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0,
                50.0, 100.0)
            .hasAttributes(NLP_MINI)));
  }

  @Test
  void token_usage_follows_the_genai_conventions_and_can_be_turned_off() {
    Assistant a = FinOpsTelemetry.create(otel.getOpenTelemetry(), finops).wrap(Assistant.class, new FakeAssistant());
    a.ask(3_000, 2_000, 500);

    Attributes common = Attributes.builder().put("gen_ai.operation.name", "chat")
        .put("gen_ai.provider.name", "openai").put("gen_ai.request.model", "gpt-4o-mini").build();
    assertThat(metric("gen_ai.client.token.usage").orElseThrow()).hasUnit("{token}")
        .hasHistogramSatisfying(h -> h.hasPointsSatisfying(
            p -> p.hasSum(3_000).hasCount(1)
                .hasAttributes(common.toBuilder().put("gen_ai.token.type", "input").build())
                .hasBucketBoundaries(1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304,
                    16777216, 67108864),
            p -> p.hasSum(500).hasAttributes(common.toBuilder().put("gen_ai.token.type", "output").build())));

    otel.clearMetrics();
    FinOpsTelemetry.builder(finops).openTelemetry(otel.getOpenTelemetry()).tokenUsageMetric(false).build()
        .wrap(Assistant.class, new FakeAssistant()).ask(10, 0, 10);
    assertThat(metric("gen_ai.client.token.usage")).isEmpty();
  }

  @Test
  void budget_gauges_show_limit_spent_and_remaining_per_window() {
    BudgetManager budgets = BudgetManager.builder(finops).build();
    budgets.add(Budget.forTeam("nlp").window(dev.finops.core.budget.Window.lifetime(), usd("100"))
        .daily(ZoneOffset.UTC, usd("10")).build());
    budgets.reserve(Fixtures.NLP, Estimate.of(usd("2.5"))).settle(usd("2.25"));
    budgets.reserve(Fixtures.NLP, Estimate.of(usd("1"))); // open: counts against remaining, not spent
    try (FinOpsTelemetry t = FinOpsTelemetry.builder(finops).openTelemetry(otel.getOpenTelemetry())
        .budgets(budgets).build()) {

      Attributes daily = Attributes.builder().put("finops.budget.scope", "team=nlp")
          .put("finops.budget.window", "daily(Z)").put("finops.currency", "USD").build();
      Attributes lifetime = daily.toBuilder().put("finops.budget.window", "lifetime").build();
      assertThat(metric("finops.budget.limit").orElseThrow()).hasDoubleGaugeSatisfying(g -> g.hasPointsSatisfying(
          p -> p.hasValue(100).hasAttributes(lifetime), p -> p.hasValue(10).hasAttributes(daily)));
      assertThat(metric("finops.budget.spent").orElseThrow()).hasDoubleGaugeSatisfying(g -> g.hasPointsSatisfying(
          p -> p.hasValue(2.25).hasAttributes(lifetime), p -> p.hasValue(2.25).hasAttributes(daily)));
      assertThat(metric("finops.budget.remaining").orElseThrow()).hasDoubleGaugeSatisfying(g -> g.hasPointsSatisfying(
          p -> p.hasValue(96.75).hasAttributes(lifetime), p -> p.hasValue(6.75).hasAttributes(daily)));
    }
    otel.clearMetrics();
    assertThat(metric("finops.budget.limit")).isEmpty(); // closed: the callback is gone
  }

  /** A source with fixed readings, as the NVML sampler would publish them. */
  static final class FixedGpus implements GpuSampleSource {
    private final List<GpuSample> samples;

    FixedGpus(List<GpuSample> samples) {
      this.samples = samples;
    }

    @Override
    public List<GpuSample> latest() {
      return samples;
    }

    @Override
    public void addListener(Listener listener) {}

    @Override
    public void removeListener(Listener listener) {}
  }

  @Test
  void gpu_gauges_follow_the_hardware_conventions_and_skip_what_a_device_does_not_report() {
    long now = clock.wallTimeMillis();
    GpuSampleSource gpus = new FixedGpus(List.of(
        GpuSample.builder(0, "GPU-aaaa", now).gpuUtilization(40).memory(30L << 30, 80L << 30)
            .powerMilliwatts(312_500).build(),
        GpuSample.builder(1, "MIG-bbbb", now).memory(1L << 30, 10L << 30).build(), // no utilization on MIG
        GpuSample.builder(2, "GPU-cccc", now).lost().build()));
    FinOpsTelemetry.builder(finops).openTelemetry(otel.getOpenTelemetry()).gpuSource(gpus).build();

    Attributes a = Attributes.builder().put("hw.id", "GPU-aaaa").put("hw.type", "gpu").build();
    Attributes b = Attributes.builder().put("hw.id", "MIG-bbbb").put("hw.type", "gpu").build();
    assertThat(metric("hw.gpu.utilization").orElseThrow()).hasUnit("1")
        .hasDoubleGaugeSatisfying(g -> g.hasPointsSatisfying(p -> p.hasValue(0.4).hasAttributes(a)));
    assertThat(metric("hw.gpu.memory.usage").orElseThrow()).hasUnit("By")
        .hasLongSumSatisfying(s -> s.isNotMonotonic().hasPointsSatisfying(
            p -> p.hasValue(30L << 30).hasAttributes(a), p -> p.hasValue(1L << 30).hasAttributes(b)));
    assertThat(metric("hw.gpu.memory.limit").orElseThrow())
        .hasLongSumSatisfying(s -> s.hasPointsSatisfying(
            p -> p.hasValue(80L << 30).hasAttributes(a), p -> p.hasValue(10L << 30).hasAttributes(b)));
    assertThat(metric("hw.power").orElseThrow()).hasUnit("W")
        .hasDoubleGaugeSatisfying(g -> g.hasPointsSatisfying(p -> p.hasValue(312.5).hasAttributes(a)));
  }
}

package dev.finops.otel;

import static dev.finops.otel.FinOpsAttributes.FINOPS_BUDGET_SCOPE;
import static dev.finops.otel.FinOpsAttributes.FINOPS_BUDGET_WINDOW;
import static dev.finops.otel.FinOpsAttributes.FINOPS_CURRENCY;
import static dev.finops.otel.FinOpsAttributes.HW_ID;
import static dev.finops.otel.FinOpsAttributes.HW_TYPE;

import dev.finops.core.budget.BudgetManager;
import dev.finops.core.budget.BudgetStatus;
import dev.finops.core.gpu.GpuMetric;
import dev.finops.core.gpu.GpuSample;
import dev.finops.core.gpu.GpuSampleSource;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.BatchCallback;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableDoubleMeasurement;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;

/** The asynchronous instruments: GPU readings and budget windows, read when metrics are collected. */
final class Gauges {
  static final String GPU_UTILIZATION = "hw.gpu.utilization";
  static final String GPU_MEMORY_USAGE = "hw.gpu.memory.usage";
  static final String GPU_MEMORY_LIMIT = "hw.gpu.memory.limit";
  static final String GPU_POWER = "hw.power";
  static final String BUDGET_LIMIT = "finops.budget.limit";
  static final String BUDGET_SPENT = "finops.budget.spent";
  static final String BUDGET_REMAINING = "finops.budget.remaining";

  private Gauges() {}

  /**
   * GPU utilization (ratio 0..1), memory used and total (bytes) and power (watts) of the latest sample
   * of each device, following the hardware semantic conventions ({@code hw.id} = the GPU's UUID,
   * {@code hw.type=gpu}). Lost devices and metrics a device does not report are left out.
   */
  static BatchCallback gpu(Meter meter, GpuSampleSource source) {
    ObservableDoubleMeasurement utilization = meter.gaugeBuilder(GPU_UTILIZATION).setUnit("1")
        .setDescription("Fraction of the sample period during which a kernel ran on the GPU").buildObserver();
    ObservableLongMeasurement memoryUsage = meter.upDownCounterBuilder(GPU_MEMORY_USAGE).setUnit("By")
        .setDescription("GPU memory used").buildObserver();
    ObservableLongMeasurement memoryLimit = meter.upDownCounterBuilder(GPU_MEMORY_LIMIT).setUnit("By")
        .setDescription("GPU memory in all").buildObserver();
    ObservableDoubleMeasurement power = meter.gaugeBuilder(GPU_POWER).setUnit("W")
        .setDescription("Power drawn by the GPU").buildObserver();
    return meter.batchCallback(() -> {
      for (GpuSample s : source.latest()) {
        if (s.isLost()) {
          continue;
        }
        Attributes a = Attributes.of(HW_ID, s.uuid(), HW_TYPE, "gpu");
        if (s.has(GpuMetric.GPU_UTILIZATION)) {
          utilization.record(s.gpuUtilizationPercent() / 100.0, a);
        }
        if (s.has(GpuMetric.MEMORY)) {
          memoryUsage.record(s.memoryUsedBytes(), a);
          memoryLimit.record(s.memoryTotalBytes(), a);
        }
        if (s.has(GpuMetric.POWER)) {
          power.record(s.powerMilliwatts() / 1000.0, a);
        }
      }
    }, utilization, memoryUsage, memoryLimit, power);
  }

  /**
   * Limit, settled spend and remaining amount of every window of every registered budget, in units
   * of the currency (exact amounts rounded once to a double, at this boundary).
   */
  static BatchCallback budgets(Meter meter, BudgetManager budgets) {
    ObservableDoubleMeasurement limit = meter.gaugeBuilder(BUDGET_LIMIT).setUnit("{currency_unit}")
        .setDescription("Budget limit of the window").buildObserver();
    ObservableDoubleMeasurement spent = meter.gaugeBuilder(BUDGET_SPENT).setUnit("{currency_unit}")
        .setDescription("Settled spend in the budget window").buildObserver();
    ObservableDoubleMeasurement remaining = meter.gaugeBuilder(BUDGET_REMAINING).setUnit("{currency_unit}")
        .setDescription("Limit minus spend and open reservations; negative past the limit").buildObserver();
    return meter.batchCallback(() -> {
      for (BudgetStatus s : budgets.statuses()) {
        Attributes a = Attributes.of(FINOPS_BUDGET_SCOPE, s.scope(), FINOPS_BUDGET_WINDOW, s.window().toString(),
            FINOPS_CURRENCY, s.limit().currency().getCurrencyCode());
        limit.record(Costs.toDouble(s.limit()), a);
        spent.record(Costs.toDouble(s.spent()), a);
        remaining.record(Costs.toDouble(s.remaining()), a);
      }
    }, limit, spent, remaining);
  }
}

package dev.finops.spring.boot;

import dev.finops.core.budget.Budget;
import dev.finops.core.budget.BudgetManager;
import dev.finops.core.budget.BudgetStatus;
import dev.finops.core.budget.Window;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.function.Function;

/**
 * {@code finops.budget.limit}, {@code finops.budget.spent} and {@code finops.budget.remaining} on
 * Micrometer, per window of each budget registered when the registry is bound, with the tags {@code
 * finops.budget.scope}, {@code finops.budget.window} and {@code finops.currency} of the OpenTelemetry
 * gauges; the exact amounts rounded once to a double when read.
 */
public final class BudgetGauges implements MeterBinder {
  private final BudgetManager budgets;

  public BudgetGauges(BudgetManager budgets) {
    this.budgets = Objects.requireNonNull(budgets, "budgets");
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (Budget b : budgets.budgets()) {
      for (Window w : b.limits().keySet()) {
        gauge(registry, "finops.budget.limit", "Budget limit of the window", b, w,
            s -> MicrometerCostMetrics.toDouble(s.limit()));
        gauge(registry, "finops.budget.spent", "Settled spend in the budget window", b, w,
            s -> MicrometerCostMetrics.toDouble(s.spent()));
        gauge(registry, "finops.budget.remaining", "Limit minus spend and open reservations; negative past the limit",
            b, w, s -> MicrometerCostMetrics.toDouble(s.remaining()));
      }
    }
  }

  private void gauge(MeterRegistry registry, String name, String description, Budget budget, Window window,
      Function<BudgetStatus, Double> value) {
    Gauge.builder(name, () -> {
      for (BudgetStatus s : budgets.status(budget)) {
        if (s.window().equals(window)) {
          return value.apply(s);
        }
      }
      return Double.NaN;
    })
        .description(description)
        .tag("finops.budget.scope", budget.scope())
        .tag("finops.budget.window", window.toString())
        .tag("finops.currency", budget.currency().getCurrencyCode())
        .register(registry);
  }
}

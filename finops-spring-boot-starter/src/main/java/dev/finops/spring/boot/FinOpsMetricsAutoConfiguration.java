package dev.finops.spring.boot;

import dev.finops.core.budget.BudgetManager;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/** finops' metrics on the application's Micrometer {@link MeterRegistry} ({@link MicrometerCostMetrics}, {@link BudgetGauges}). */
@AutoConfiguration(
    after = FinOpsAutoConfiguration.class,
    afterName = "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnProperty(prefix = "finops", name = {"enabled", "metrics.micrometer"}, matchIfMissing = true)
public class FinOpsMetricsAutoConfiguration {

  @Bean
  public MicrometerCostMetrics finOpsMicrometerCostMetrics(MeterRegistry registry) {
    return new MicrometerCostMetrics(registry);
  }

  @Bean
  public BudgetGauges finOpsBudgetGauges(BudgetManager budgets) {
    return new BudgetGauges(budgets);
  }
}

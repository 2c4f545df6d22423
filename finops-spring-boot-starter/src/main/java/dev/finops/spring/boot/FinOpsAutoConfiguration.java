package dev.finops.spring.boot;

import dev.finops.core.Clock;
import dev.finops.core.FinOps;
import dev.finops.core.budget.Budget;
import dev.finops.core.budget.BudgetListener;
import dev.finops.core.budget.BudgetManager;
import dev.finops.core.budget.BudgetStore;
import dev.finops.otel.CostMetricsListener;
import dev.finops.otel.FinOpsTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;
import org.springframework.util.ClassUtils;

/**
 * The core of the starter: {@link FinOps} (catalog layers, unknown-model policy, clock), {@link
 * BudgetManager} (the budgets of {@code finops.budgets}) and {@link FinOpsTelemetry} (on the
 * application's {@link OpenTelemetry} when it has one, with the default tags and every {@link
 * CostMetricsListener} bean), and {@code @CostTracked} on Spring beans. Each bean steps aside for one the
 * application defines; a {@link Clock} or {@link BudgetStore} bean (Redis, say) is used when present.
 */
@AutoConfiguration(afterName = {
  "org.springframework.boot.actuate.autoconfigure.tracing.OpenTelemetryAutoConfiguration",
  "org.springframework.boot.actuate.autoconfigure.opentelemetry.OpenTelemetryAutoConfiguration"
})
@ConditionalOnProperty(prefix = "finops", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(FinOpsProperties.class)
public class FinOpsAutoConfiguration {

  /** Spring AI's own observation handler emits a {@code gen_ai.client.token.usage} counter. */
  private static final String SPRING_AI_TOKEN_METER =
      "org.springframework.ai.model.observation.ModelUsageMetricsGenerator";

  @Bean
  @ConditionalOnMissingBean
  public FinOps finOps(FinOpsProperties properties, ObjectProvider<Clock> clock) {
    return PropertiesReader.finOps(properties, clock.getIfUnique());
  }

  @Bean
  @ConditionalOnMissingBean
  public BudgetManager finOpsBudgetManager(FinOps finops, FinOpsProperties properties,
      ObjectProvider<BudgetStore> store, ObjectProvider<BudgetListener> listeners) {
    BudgetManager.Builder b = BudgetManager.builder(finops);
    BudgetStore s = store.getIfUnique();
    if (s != null) {
      b.store(s);
    }
    listeners.orderedStream().forEach(b::listener);
    List<Budget> budgets = PropertiesReader.budgets(properties);
    if (!budgets.isEmpty()) {
      b.currency(budgets.get(0).currency()); // one manager counts in one currency: the first budget's
    }
    BudgetManager manager = b.build();
    for (int i = 0; i < budgets.size(); i++) {
      Budget budget = budgets.get(i);
      if (!budget.currency().equals(manager.currency())) {
        throw new InvalidConfigurationPropertyValueException("finops.budgets[" + i + "].currency",
            budget.currency().getCurrencyCode(), "every budget counts in one currency, " + manager.currency()
                + " (that of finops.budgets[0])");
      }
      manager.add(budget);
    }
    return manager;
  }

  @Bean
  @ConditionalOnMissingBean
  public FinOpsTelemetry finOpsTelemetry(FinOps finops, BudgetManager budgets, FinOpsProperties properties,
      ObjectProvider<OpenTelemetry> openTelemetry, ObjectProvider<CostMetricsListener> metricsListeners) {
    FinOpsTelemetry.Builder b = FinOpsTelemetry.builder(finops)
        .budgets(budgets)
        .defaultTags(PropertiesReader.defaultTags(properties))
        .costAttributes(PropertiesReader.costAttributes(properties))
        .tokenUsageMetric(tokenUsageMetric(properties));
    FinOpsProperties.Dedup dedup = properties.getDedup();
    try {
      b.dedup(dedup.getWindow(), dedup.getMaxCalls());
    } catch (IllegalArgumentException e) {
      boolean badWindow = dedup.getWindow().isNegative() || dedup.getWindow().isZero();
      throw new InvalidConfigurationPropertyValueException(badWindow ? "finops.dedup.window" : "finops.dedup.max-calls",
          badWindow ? dedup.getWindow() : dedup.getMaxCalls(), e.getMessage());
    }
    OpenTelemetry otel = openTelemetry.getIfUnique();
    if (otel != null) {
      b.openTelemetry(otel);
    }
    metricsListeners.orderedStream().forEach(b::metricsListener);
    return b.build();
  }

  /** {@code @CostTracked} on beans, through Spring AOP class or interface proxies. */
  @Bean
  @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
  public static CostTrackedAdvisor finOpsCostTrackedAdvisor(ObjectProvider<FinOpsTelemetry> telemetry) {
    return new CostTrackedAdvisor(telemetry);
  }

  static boolean tokenUsageMetric(FinOpsProperties properties) {
    Boolean set = properties.getMetrics().getTokenUsage();
    if (set != null) {
      return set;
    }
    return !ClassUtils.isPresent(SPRING_AI_TOKEN_METER, FinOpsAutoConfiguration.class.getClassLoader());
  }
}

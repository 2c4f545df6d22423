package dev.finops.budget.redis.boot;

import dev.finops.budget.redis.RedisBudgetStore;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Health {@code finopsBudgetStore}, with Spring Boot's actuator and a {@link RedisBudgetStore} bean: UP while
 * Redis is reachable; DOWN while it is not, with the budgets admitting fail-open and refusing fail-closed
 * meanwhile, and the operations queued for Redis.
 */
@AutoConfiguration(after = RedisBudgetStoreAutoConfiguration.class)
@ConditionalOnClass({HealthIndicator.class, RedisBudgetStore.class})
@ConditionalOnBean(RedisBudgetStore.class)
public class RedisBudgetStoreHealthAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean(name = "finopsBudgetStoreHealthIndicator")
  public HealthIndicator finopsBudgetStoreHealthIndicator(RedisBudgetStore store) {
    return () -> {
      RedisBudgetStore.Health h = store.health();
      Health.Builder b = h.reachable() ? Health.up() : Health.down().withDetail("downSince", h.downSince().toString());
      return b.withDetail("queuedOperations", h.queuedOperations())
          .withDetail("failingOpen", h.failingOpen())
          .withDetail("failingClosed", h.failingClosed())
          .build();
    };
  }
}

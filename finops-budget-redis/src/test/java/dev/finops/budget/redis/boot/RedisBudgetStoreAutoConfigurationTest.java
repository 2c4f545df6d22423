package dev.finops.budget.redis.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.budget.redis.RedisBudgetStore;
import dev.finops.core.budget.BudgetStore;
import io.lettuce.core.RedisURI;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** finops.budget-store=redis gives a BudgetStore bean on Boot's spring.data.redis.* connection properties. */
class RedisBudgetStoreAutoConfigurationTest {
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(RedisBudgetStoreAutoConfiguration.class));

  @Test
  void aRedisStoreWhenAskedFor() {
    runner.withPropertyValues("finops.budget-store=redis", "spring.data.redis.host=127.0.0.1",
        "spring.data.redis.port=1", "finops.redis-store.tag=acme", "finops.redis-store.fail-open=team=nlp",
        "finops.redis-store.owner-ttl=5s").run(ctx -> {
          assertThat(ctx).hasSingleBean(BudgetStore.class);
          RedisBudgetStore store = ctx.getBean(RedisBudgetStore.class);
          assertThat(store.keyPrefix()).isEqualTo("finops:{acme}:"); // built without reaching Redis (lazy)
        });
  }

  @Test
  void leasesFromProperties() {
    runner.withPropertyValues("finops.budget-store=redis", "spring.data.redis.port=1",
        "finops.redis-store.lease-fraction=0.05", "finops.redis-store.lease-scopes=team=nlp",
        "finops.redis-store.lease-flush-interval=250ms").run(ctx -> {
          RedisBudgetStore store = ctx.getBean(RedisBudgetStore.class);
          assertThat(store.leaseFraction()).isEqualByComparingTo("0.05");
        });
    runner.withPropertyValues("finops.budget-store=redis", "spring.data.redis.port=1")
        .run(ctx -> assertThat(ctx.getBean(RedisBudgetStore.class).leaseFraction()).as("off by default").isNull());
    runner.withPropertyValues("finops.budget-store=redis", "spring.data.redis.port=1",
        "finops.redis-store.lease-fraction=1.5").run(ctx -> assertThat(ctx).getFailure()
            .rootCause().hasMessageContaining("leaseFraction"));
  }

  @Test
  void aHealthIndicatorSaysWhichBudgetsRunDegradedWhileRedisIsUnreachable() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(RedisBudgetStoreAutoConfiguration.class,
            RedisBudgetStoreHealthAutoConfiguration.class))
        .withPropertyValues("finops.budget-store=redis", "spring.data.redis.port=1", "finops.redis-store.command-timeout=500ms")
        .run(ctx -> {
          org.springframework.boot.actuate.health.HealthIndicator indicator =
              ctx.getBean("finopsBudgetStoreHealthIndicator", org.springframework.boot.actuate.health.HealthIndicator.class);
          // Before any budget command the status may already be DOWN (the heartbeat may have failed), but
          // no budget is named yet.
          assertThat(indicator.health().getDetails().get("failingClosed")).asString().doesNotContain("team=nlp");

          dev.finops.core.budget.BudgetManager budgets = dev.finops.core.budget.BudgetManager.builder()
              .store(ctx.getBean(RedisBudgetStore.class)).build();
          budgets.add(dev.finops.core.budget.Budget.forTeam("nlp").limit(dev.finops.core.Money.usd("10")).build());
          assertThat(budgets.scope(dev.finops.core.Tags.of("team", "nlp"))
              .tryReserve(dev.finops.core.budget.Estimate.of(dev.finops.core.Money.usd("1")))).as("fail closed").isNull();

          org.springframework.boot.actuate.health.Health h = indicator.health();
          assertThat(h.getStatus()).isEqualTo(org.springframework.boot.actuate.health.Status.DOWN);
          assertThat(h.getDetails()).containsKey("downSince").containsEntry("queuedOperations", 0);
          assertThat(h.getDetails().get("failingClosed")).asString().isEqualTo("[team=nlp]");
        });
    runner.withPropertyValues("spring.data.redis.port=1").withConfiguration(
        AutoConfigurations.of(RedisBudgetStoreHealthAutoConfiguration.class))
        .run(ctx -> assertThat(ctx).doesNotHaveBean("finopsBudgetStoreHealthIndicator"));
  }

  @Test
  void noStoreOtherwise() {
    runner.withPropertyValues("spring.data.redis.port=1").run(ctx -> assertThat(ctx).doesNotHaveBean(BudgetStore.class));
    runner.withPropertyValues("finops.budget-store=memory").run(ctx -> assertThat(ctx).doesNotHaveBean(BudgetStore.class));
  }

  @Test
  void bootConnectionPropertiesMakeTheUri() {
    org.springframework.boot.autoconfigure.data.redis.RedisProperties p =
        new org.springframework.boot.autoconfigure.data.redis.RedisProperties();
    p.setHost("redis.internal");
    p.setPort(6380);
    p.setPassword("secret");
    p.setDatabase(2);
    RedisURI uri = RedisBudgetStoreAutoConfiguration.uri(p);
    assertThat(uri.getHost()).isEqualTo("redis.internal");
    assertThat(uri.getPort()).isEqualTo(6380);
    assertThat(uri.getDatabase()).isEqualTo(2);
    assertThat(uri.getCredentialsProvider().resolveCredentials().block().getPassword()).containsExactly("secret".toCharArray());
    p.setUrl("redis://:pw@elsewhere:7000/3");
    assertThat(RedisBudgetStoreAutoConfiguration.uri(p).getHost()).isEqualTo("elsewhere");
  }
}

package dev.finops.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.core.FinOps;
import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.Usage;
import dev.finops.core.TokenConventions;
import dev.finops.core.budget.Budget;
import dev.finops.core.budget.BudgetManager;
import dev.finops.core.budget.UnknownCostPolicy;
import dev.finops.core.budget.Window;
import dev.finops.core.pricing.PricedUsage;
import dev.finops.otel.FinOpsTelemetry;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** {@code finops.*} to beans, and start-up failures that name the property at fault. */
class FinOpsPropertiesTest {
  final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(FinOpsAutoConfiguration.class));

  @Test
  void withNoPropertiesTheBundledCatalogPricesAndNoBudgetApplies() {
    runner.run(ctx -> {
      assertThat(ctx).hasNotFailed();
      FinOps finops = ctx.getBean(FinOps.class);
      Usage usage = TokenConventions.fromInclusive(3_000, 500, 2_000, 0, 0);
      PricedUsage p = finops.price("openai", "gpt-4o-2024-08-06", usage);
      assertThat(p.total().exactAmount()).isEqualByComparingTo("0.0100");
      assertThat(ctx.getBean(BudgetManager.class).budgets()).isEmpty();
      assertThat(ctx.getBean(FinOpsTelemetry.class).budgets()).isSameAs(ctx.getBean(BudgetManager.class));
    });
  }

  @Test
  void budgetsDefaultTagsAndPolicyComeFromProperties() {
    runner.withPropertyValues(
        "finops.default-tags.org=acme",
        "finops.default-tags.project=search",
        "finops.unknown-model=record-unpriced",
        "finops.budgets[0].scope=team=nlp",
        "finops.budgets[0].limit=500.00",
        "finops.budgets[0].window=daily",
        "finops.budgets[0].zone=Europe/Paris",
        "finops.budgets[0].notify-at=0.5,0.8",
        "finops.budgets[0].throttle-at=0.9",
        "finops.budgets[0].throttle-delay=250ms",
        "finops.budgets[0].terminate-at=1",
        "finops.budgets[1].scope=customer=acme",
        "finops.budgets[1].limit=20",
        "finops.budgets[1].window=rolling",
        "finops.budgets[1].length=1h",
        "finops.budgets[1].unknown-cost=fail-open")
        .run(ctx -> {
          assertThat(ctx).hasNotFailed();
          FinOpsTelemetry telemetry = ctx.getBean(FinOpsTelemetry.class);
          assertThat(telemetry.defaultTags()).isEqualTo(Tags.of("org", "acme", "project", "search"));
          assertThat(ctx.getBean(FinOps.class).price("acme", "mystery-1", Usage.ofTokens(5, 0))
              .isPriced()).isFalse();
          java.util.List<Budget> budgets = ctx.getBean(BudgetManager.class).budgets();
          assertThat(budgets).hasSize(2);
          Budget nlp = budgets.get(0);
          assertThat(nlp.scope()).isEqualTo("team=nlp");
          assertThat(nlp.limits()).containsEntry(Window.daily(ZoneId.of("Europe/Paris")), Money.usd("500.00"));
          assertThat(nlp.notifyThresholds()).extracting(BigDecimal::toPlainString).containsExactly("0.5", "0.8");
          assertThat(nlp.throttleDelays()).hasSize(1).containsValue(Duration.ofMillis(250));
          assertThat(nlp.terminateThreshold()).isEqualByComparingTo("1");
          assertThat(nlp.unknownCostPolicy()).isEqualTo(UnknownCostPolicy.FAIL_CLOSED);
          Budget acme = budgets.get(1);
          assertThat(acme.limits()).containsEntry(Window.rolling(Duration.ofHours(1)), Money.usd("20"));
          assertThat(acme.unknownCostPolicy()).isEqualTo(UnknownCostPolicy.FAIL_OPEN);
        });
  }

  @Test
  void aUserCatalogIsLayeredAboveTheBundledOne(@TempDir Path dir) throws Exception {
    Path catalog = dir.resolve("negotiated.json");
    Files.writeString(catalog, """
        {"format_version": 1, "catalog_version": "negotiated-2026-12", "currency": "USD", "models": [
          {"provider": "acme", "id": "acme-1", "source": "test",
           "versions": [{"valid_from": "2026-01-01", "prices": {"input": "1.00", "output": "2.00"}}]}]}
        """);
    runner.withPropertyValues("finops.catalogs[0]=" + catalog).run(ctx -> {
      assertThat(ctx).hasNotFailed();
      PricedUsage p = ctx.getBean(FinOps.class).price("acme", "acme-1",
          Usage.ofTokens(1_000_000, 1_000_000));
      assertThat(p.total().exactAmount()).isEqualByComparingTo("3.00");
    });
  }

  @Test
  void badPropertiesFailStartUpNamingTheProperty(@TempDir Path dir) throws Exception {
    Path broken = dir.resolve("broken.json");
    Files.writeString(broken, "{\"name\": \"broken\",\n \"models\": [ }");
    failsNaming("finops.budgets[0].limit", "finops.budgets[0].scope=team=nlp", "finops.budgets[0].limit=lots",
        "finops.budgets[0].window=daily");
    failsNaming("finops.budgets[0].limit", "finops.budgets[0].scope=team=nlp", "finops.budgets[0].limit=-5",
        "finops.budgets[0].window=daily");
    failsNaming("finops.budgets[0].limit", "finops.budgets[0].scope=team=nlp",
        "finops.budgets[0].limit=1" + "0".repeat(100_000), "finops.budgets[0].window=daily");
    failsNaming("finops.budgets[0].limit", "finops.budgets[0].scope=team=nlp",
        "finops.budgets[0].limit=1e999999999", "finops.budgets[0].window=daily");
    failsNaming("finops.budgets[0].scope", "finops.budgets[0].scope=nlp", "finops.budgets[0].limit=5",
        "finops.budgets[0].window=daily");
    failsNaming("finops.budgets[0].scope", "finops.budgets[0].scope=squad=nlp", "finops.budgets[0].limit=5",
        "finops.budgets[0].window=daily");
    failsNaming("finops.budgets[0].window", "finops.budgets[0].scope=team=nlp", "finops.budgets[0].limit=5");
    failsNaming("finops.budgets[0].window", "finops.budgets[0].scope=team=nlp", "finops.budgets[0].limit=5",
        "finops.budgets[0].window=hourly");
    failsNaming("finops.budgets[0].zone", "finops.budgets[0].scope=team=nlp", "finops.budgets[0].limit=5",
        "finops.budgets[0].window=daily", "finops.budgets[0].zone=Mars/Olympus");
    failsNaming("finops.budgets[0].length", "finops.budgets[0].scope=team=nlp", "finops.budgets[0].limit=5",
        "finops.budgets[0].window=rolling");
    failsNaming("finops.budgets[0].throttle-delay", "finops.budgets[0].scope=team=nlp", "finops.budgets[0].limit=5",
        "finops.budgets[0].window=daily", "finops.budgets[0].throttle-at=0.9");
    failsNaming("finops.budgets[0].notify-at[1]", "finops.budgets[0].scope=team=nlp", "finops.budgets[0].limit=5",
        "finops.budgets[0].window=daily", "finops.budgets[0].notify-at=0.5,1.5");
    failsNaming("finops.budgets[0].currency", "finops.budgets[0].scope=team=nlp", "finops.budgets[0].limit=5",
        "finops.budgets[0].window=daily", "finops.budgets[0].currency=DOLLARS");
    failsNaming("finops.budgets[1].currency", "finops.budgets[0].scope=team=nlp", "finops.budgets[0].limit=5",
        "finops.budgets[0].window=daily", "finops.budgets[1].scope=team=cv", "finops.budgets[1].limit=5",
        "finops.budgets[1].window=daily", "finops.budgets[1].currency=EUR");
    failsNaming("finops.default-tags", "finops.default-tags.team=" + "x".repeat(1000));
    failsNaming("finops.unknown-model", "finops.unknown-model=guess");
    failsNaming("finops.catalogs[0]", "finops.catalogs[0]=" + dir.resolve("missing.json"));
    failsNaming("finops.catalogs[0]", "finops.catalogs[0]=" + broken);
  }

  @Test
  void aBadBudgetLeavesNothingHalfConfigured() {
    runner.withPropertyValues("finops.budgets[0].scope=team=a", "finops.budgets[0].limit=5",
        "finops.budgets[0].window=daily", "finops.budgets[1].scope=team=b", "finops.budgets[1].limit=x",
        "finops.budgets[1].window=daily").run(ctx -> assertThat(ctx).hasFailed());
  }

  private void failsNaming(String property, String... values) {
    runner.withPropertyValues(values).run(ctx -> {
      assertThat(ctx).hasFailed();
      Throwable t = ctx.getStartupFailure();
      StringBuilder messages = new StringBuilder();
      for (Throwable c = t; c != null; c = c.getCause()) {
        messages.append(c.getMessage()).append('\n');
      }
      assertThat(messages.toString()).as("start-up failure for %s", String.join(", ", values)).contains(property);
    });
  }
}

package dev.finops.core.budget;

import dev.finops.core.ManualClock;
import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.Usage;
import dev.finops.core.ledger.LedgerFixtures;
import dev.finops.core.pricing.PricedUsage;
import dev.finops.core.pricing.Pricing;
import dev.finops.core.pricing.UnknownModelPolicy;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Shared fixtures of the budget tests.
 *
 * <pre>
 * the token catalog of {@link LedgerFixtures}, provider "p", prices per 1M tokens
 *   m1: input 2.50, output 10.00 (cache reads and writes fall back to input, reasoning to output)
 *   m2: input 3.00, cache_read 0.30, cache_write_5m 3.75, cache_write_1h 6.1234567, output 15.00,
 *       reasoning 12.345678, request 0.0004
 * tags RUN: org=acme, team=nlp, experiment=lr-sweep, run=r1 (a 4-level chain when all have budgets)
 * </pre>
 */
final class BudgetFixtures {

  /** A Monday, 10:00 UTC. */
  static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

  static final Tags RUN = Tags.builder().org("acme").team("nlp").experiment("lr-sweep").run("r1").build();

  private BudgetFixtures() {}

  static Pricing pricing(UnknownModelPolicy policy) {
    return Pricing.builder().bundledCatalog(null).userCatalog(LedgerFixtures.tokenCatalog())
        .unknownModelPolicy(policy).build();
  }

  static Pricing pricing() {
    return pricing(UnknownModelPolicy.RECORD_UNPRICED);
  }

  /** Priced usage of m1: {@code input} uncached input tokens and {@code output} output tokens. */
  static PricedUsage m1(Pricing pricing, long input, long output) {
    return pricing.price("p", "m1", Usage.ofTokens(input, output), T0);
  }

  static Money usd(String amount) {
    return Money.usd(amount);
  }

  /** Collects events. */
  static final class Events implements BudgetListener {
    final List<BudgetEvent> all = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(BudgetEvent event) {
      all.add(event);
    }

    List<BudgetEvent> of(BudgetEvent.Type type) {
      return all.stream().filter(e -> e.type() == type).toList();
    }
  }

  static BudgetManager.Builder manager(ManualClock clock) {
    return BudgetManager.builder().clock(clock).pricing(pricing());
  }
}

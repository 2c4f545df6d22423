package dev.finops.benchmarks;

import dev.finops.core.Clock;
import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.Usage;
import dev.finops.core.budget.Budget;
import dev.finops.core.budget.BudgetManager;
import dev.finops.core.budget.BudgetScope;
import dev.finops.core.budget.Reservation;
import dev.finops.core.pricing.PricedUsage;
import dev.finops.core.pricing.Pricing;
import java.time.Instant;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Admission against a 3-level scope chain (org → team → experiment, one lifetime budget each), on a
 * manager as {@code BudgetManager.builder().build()} makes it (the default clock, {@code
 * Clock.shared()}, and the in-memory store), with a baseline in the same run. Target: {@code reserveSettle}
 * at most 150 ns/op uncontended (1 thread).
 *
 * <ul>
 *   <li>{@code reserveSettle} / {@code reserveSettle2Threads}: reserve 2,000 pico-units on all three
 *       budgets (all or nothing), settle to 1,000 (exactly once); 1 and 2 threads on the same budgets
 *       (the contended case).
 *   <li>{@code reserveSettleSystemClock}: the same on a manager whose clock is {@code Clock.system()}
 *       (each reservation and settlement reads the clock once; a system clock read is 15 to 25 ns).
 *   <li>{@code reserveRelease}: reserve, then release unused.
 *   <li>{@code reserveSettleOverrun2Threads}: settle 3,000 on a reservation of 2,000 on 2 threads: the
 *       overrun total ({@code Stats.overrun}, a saturating compare-and-set since it may no longer wrap)
 *       on every settlement.
 *   <li>{@code recordUnreserved} / {@code recordUnreserved2Threads}: spend without a reservation (a
 *       fixed-point priced usage): the store's counters and the saturating unreserved total.
 *   <li>{@code checkThenActBaseline}: the pattern reservations replace (read each budget's spend, then
 *       add the cost: what lets concurrent callers overshoot); three atomic reads and three adds.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class BudgetBenchmark {

  private static final long RESERVE_PICO = 2_000;
  private static final long ACTUAL_PICO = 1_000;
  private static final long OVERRUN_PICO = 3_000;
  /** The largest limit a budget takes; a run of billions of settlements of 1,000 pico stays below it. */
  private static final Money LIMIT = Money.usd("9000000");

  private BudgetScope scope;
  private BudgetScope systemClockScope;
  private PricedUsage priced;
  private final AtomicLong[] naive = {new AtomicLong(), new AtomicLong(), new AtomicLong()};
  private final long naiveLimit = Long.MAX_VALUE / 2;

  @Setup
  public void setUp() {
    scope = threeLevels(BudgetManager.builder().build());
    systemClockScope = threeLevels(BudgetManager.builder().clock(Clock.system()).build());
    priced = Pricing.bundled().price("openai", "gpt-4o", Usage.ofTokens(1_000, 100), Instant.now());
  }

  private static BudgetScope threeLevels(BudgetManager budgets) {
    budgets.add(Budget.forOrg("acme").limit(LIMIT).build());
    budgets.add(Budget.forTeam("nlp").limit(LIMIT).build());
    budgets.add(Budget.forExperiment("lr-sweep").limit(LIMIT).build());
    return budgets.scope(Tags.builder().org("acme").team("nlp").experiment("lr-sweep").run("r1").build());
  }

  @Benchmark
  @Threads(1)
  public boolean reserveSettle() {
    Reservation r = scope.reservePico(RESERVE_PICO);
    return r.settlePico(ACTUAL_PICO);
  }

  @Benchmark
  @Threads(2)
  public boolean reserveSettle2Threads() {
    Reservation r = scope.reservePico(RESERVE_PICO);
    return r.settlePico(ACTUAL_PICO);
  }

  @Benchmark
  @Threads(1)
  public boolean reserveSettleSystemClock() {
    Reservation r = systemClockScope.reservePico(RESERVE_PICO);
    return r.settlePico(ACTUAL_PICO);
  }

  @Benchmark
  @Threads(1)
  public boolean reserveRelease() {
    Reservation r = scope.reservePico(RESERVE_PICO);
    return r.release();
  }

  @Benchmark
  @Threads(2)
  public boolean reserveSettleOverrun2Threads() {
    Reservation r = scope.reservePico(RESERVE_PICO);
    return r.settlePico(OVERRUN_PICO);
  }

  @Benchmark
  @Threads(1)
  public void recordUnreserved() {
    scope.record(priced);
  }

  @Benchmark
  @Threads(2)
  public void recordUnreserved2Threads() {
    scope.record(priced);
  }

  @Benchmark
  @Threads(1)
  public boolean checkThenActBaseline() {
    for (AtomicLong spent : naive) {
      if (spent.get() + ACTUAL_PICO > naiveLimit) {
        return false;
      }
    }
    for (AtomicLong spent : naive) {
      spent.addAndGet(ACTUAL_PICO);
    }
    return true;
  }
}

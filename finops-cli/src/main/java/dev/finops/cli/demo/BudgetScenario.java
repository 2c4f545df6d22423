package dev.finops.cli.demo;

import dev.finops.core.FinOps;
import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.Usage;
import dev.finops.core.budget.Budget;
import dev.finops.core.budget.BudgetEvent;
import dev.finops.core.budget.BudgetExceededException;
import dev.finops.core.budget.BudgetManager;
import dev.finops.core.budget.BudgetScope;
import dev.finops.core.budget.BudgetStatus;
import dev.finops.core.budget.Reservation;
import dev.finops.core.budget.RunGuard;
import dev.finops.core.catalog.PurchaseOption;
import dev.finops.core.ledger.Account;
import dev.finops.core.pricing.BoundModel;
import dev.finops.core.training.Hardware;
import dev.finops.core.training.TrainingRun;
import dev.finops.core.training.TrainingStoppedException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The budget side of the demo day: team {@code product} has a daily budget for its API calls that
 * throttles admissions near the limit, and team {@code research} launches a hyperparameter sweep of
 * eight runs whose experiment budget terminates them when it is spent. Every call is reserved before
 * it runs and settled to its actual cost after; every budget event is kept for the report.
 */
final class BudgetScenario {

  /** Each sweep run: one g5.12xlarge (4 A10G) on spot. */
  static final int SWEEP_RUNS = 8;
  static final Money PRODUCT_DAILY_LIMIT = Money.usd("180");
  static final Money SWEEP_LIMIT = Money.usd("45");
  private static final long MAX_OUTPUT_TOKENS = 1_024;

  private final FinOps finops;
  private final BudgetManager budgets;
  private final List<String> events = Collections.synchronizedList(new ArrayList<>());
  private final List<TrainingRun> sweep = new ArrayList<>();
  private final List<RunGuard> guards = new ArrayList<>();
  private final List<String> stopped = new ArrayList<>();
  private long productCalls;
  private long throttled;
  private long denied;
  private int checkpoints;
  private List<BudgetStatus> statuses = List.of();

  BudgetScenario(FinOps finops) {
    this.finops = finops;
    this.budgets = BudgetManager.builder(finops).listener(this::onEvent).build();
    budgets.add(Budget.forTeam("product").limit(PRODUCT_DAILY_LIMIT).daily(ZoneOffset.UTC)
        .notifyAt("0.5", "0.8").throttleAt("0.9", Duration.ofMillis(250)).build());
    budgets.add(Budget.forExperiment("lr-sweep").limit(SWEEP_LIMIT).lifetime()
        .notifyAt("0.5", "0.8", "0.9").terminateAt("1").build());
  }

  private void onEvent(BudgetEvent e) {
    BudgetStatus st = e.status();
    events.add(e.at() + "  " + String.format("%-14s", e.type()) + "  " + st.scope() + " " + st.window()
        + (e.threshold() == null ? "" : " at " + e.threshold().movePointRight(2).stripTrailingZeros().toPlainString() + "%")
        + ": spent " + st.spent().amount(2) + " + reserved " + st.reserved().amount(2) + " of " + st.limit().amount(2));
  }

  /** Keeps the budgets' statuses as they are now (the last minute of the day, before the daily reset). */
  void captureStatuses() {
    statuses = budgets.statuses();
  }

  /** The statuses captured by {@link #captureStatuses()}. */
  List<BudgetStatus> statuses() {
    return statuses;
  }

  /**
   * Reserves a product API call (its input tokens plus {@value #MAX_OUTPUT_TOKENS} output tokens at
   * the output price), settles it to the priced usage and records it, unless the budget denies it.
   * Throttled calls are counted (a real client would wait {@link Reservation#throttleDelay()}).
   *
   * @return whether the call was made and recorded
   */
  boolean productCall(Account account, BoundModel model, Usage usage, long at) {
    productCalls++;
    BudgetScope scope = budgets.scope(account.tags());
    try (Reservation r = scope.reserve(budgets.estimator().llmCall(model, usage.inputTokens(), MAX_OUTPUT_TOKENS))) {
      if (!r.throttleDelay().isZero()) {
        throttled++;
      }
      r.settle(model.price(usage, at));
      account.record(model, usage, at);
      return true;
    } catch (BudgetExceededException e) {
      denied++;
      return false;
    }
  }

  /** Launches the sweep: eight runs with different learning rates, guarded by 10-minute GPU leases. */
  void startSweep() {
    for (int i = 0; i < SWEEP_RUNS; i++) {
      String id = "sweep-lr-" + (i + 1);
      TrainingRun run = finops.trainingRun(id)
          .tags(Tags.builder().team("research").project("support-bot").experiment("lr-sweep").model("llama-3.1-8b-ft")
              .build())
          .hardware(Hardware.instances("aws", "us-east-1", "g5.12xlarge", 1, PurchaseOption.SPOT))
          .onCheckpoint(() -> checkpoints++)
          .start();
      sweep.add(run);
      guards.add(budgets.guard(run, Duration.ofMinutes(10)));
    }
  }

  /** One optimizer step of every sweep run still going; a stopped run is closed and remembered. */
  void stepSweep(long samples, long tokens) {
    for (int i = 0; i < sweep.size(); i++) {
      TrainingRun run = sweep.get(i);
      if (run.isClosed()) {
        continue;
      }
      try {
        guards.get(i).step(samples, tokens);
      } catch (TrainingStoppedException e) {
        guards.get(i).close();
        run.close();
        stopped.add(run.runId() + " stopped at " + Instant.ofEpochMilli(finops.clock().wallTimeMillis())
            + " after " + run.report().steps() + " steps and a final checkpoint: its budget would not renew its GPU lease");
      }
    }
  }

  /** Ends the sweep runs still going (the end of the simulated day). */
  void finish() {
    for (int i = 0; i < sweep.size(); i++) {
      if (!sweep.get(i).isClosed()) {
        guards.get(i).close();
        sweep.get(i).close();
      }
    }
  }

  boolean sweepRunning() {
    return sweep.stream().anyMatch(r -> !r.isClosed());
  }

  BudgetManager budgets() {
    return budgets;
  }

  /** Budget events in the order they happened. */
  List<String> events() {
    return List.copyOf(events);
  }

  /** How each stopped sweep run ended. */
  List<String> stoppedRuns() {
    return List.copyOf(stopped);
  }

  long productCalls() {
    return productCalls;
  }

  long throttledCalls() {
    return throttled;
  }

  long deniedCalls() {
    return denied;
  }

  int sweepCheckpoints() {
    return checkpoints;
  }
}

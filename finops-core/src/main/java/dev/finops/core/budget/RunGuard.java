package dev.finops.core.budget;

import dev.finops.core.Money;
import dev.finops.core.training.TrainingRun;
import java.time.Duration;

/**
 * Budget enforcement for a {@link TrainingRun}: a {@link Lease} on its GPU time at its hardware's
 * rate (GPU-hour price × GPUs), renewed at step boundaries, and a {@link BudgetManager#onTerminate
 * TERMINATE registration} under its tags. When a renewal is refused, or a budget of the run's scope
 * chain (run, experiment, team, org, ...) reaches its TERMINATE threshold, the run is asked to stop
 * ({@link TrainingRun#requestStop}); it stops at its next step boundary, after its checkpoint hook,
 * with {@link dev.finops.core.training.TrainingStoppedException}.
 *
 * <pre>{@code
 * try (TrainingRun run = finops.trainingRun("ft-42").tags(tags).hardware(hw)
 *          .onCheckpoint(() -> saveCheckpoint()).start();
 *      RunGuard guard = budgets.guard(run, Duration.ofMinutes(10))) {
 *   while (true) {
 *     trainOneStep();
 *     guard.step(64, 262_144);   // renews the lease if due, records the step; throws when stopped
 *   }
 * } catch (TrainingStoppedException stopped) {
 *   log.info(stopped.getMessage());
 * }
 * }</pre>
 *
 * <p>The overshoot of a guarded run is bounded as for its {@link Lease}: below {@code rate ×
 * max(0, step − slice/2)} at a refused renewal, and in the last, shorter slice that then uses the room
 * left, at most {@code rate × (step − previous step)}; so with even steps of at most half a slice,
 * none, and the run stops with less than one step's cost unspent. When the hardware has no GPU-hour price, the guard holds no lease (fail-open
 * budgets) or refuses the run ({@link CostUnknownException}, fail-closed budgets); TERMINATE still
 * applies. Thread-safe.
 */
public final class RunGuard implements AutoCloseable {
  private final TrainingRun run;
  private final Lease lease;
  private final BudgetManager.Registration registration;

  private RunGuard(TrainingRun run, Lease lease, BudgetManager.Registration registration) {
    this.run = run;
    this.lease = lease;
    this.registration = registration;
  }

  static RunGuard start(BudgetManager manager, TrainingRun run, Duration slice) {
    Money hourly = CostEstimator.hourlyRate(run.priceKey(), run.gpus());
    Lease lease;
    if (hourly == null) {
      // Unknown cost: the fail policy of the chain decides (throws if a budget is fail-closed).
      manager.reserve(run.tags(), Estimate.unknown("hardware " + run.hardware() + " has no GPU-hour price")).close();
      lease = null;
    } else {
      lease = manager.lease(run.tags(), hourly, slice, run::requestStop);
    }
    return new RunGuard(run, lease, manager.onTerminate(run.tags(), run::requestStop));
  }

  public TrainingRun run() {
    return run;
  }

  /** The GPU lease, or {@code null} when the hardware has no price. */
  public Lease lease() {
    return lease;
  }

  /**
   * Renews the lease if due, then records the step ({@link TrainingRun#step}); throws {@link
   * dev.finops.core.training.TrainingStoppedException} when the run was asked to stop.
   */
  public void step(long samples, long tokens) {
    renewIfDue();
    run.step(samples, tokens);
  }

  /** Renews the lease if due; false once it was refused (the run is then asked to stop). */
  public boolean renewIfDue() {
    return lease == null || lease.renewIfDue();
  }

  /** Settles the lease's GPU time and unregisters the run. */
  @Override
  public void close() {
    try {
      if (lease != null) {
        lease.close();
      }
    } finally {
      registration.close();
    }
  }
}

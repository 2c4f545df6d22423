package dev.finops.core.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finops.core.ManualClock;
import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.catalog.PurchaseOption;
import dev.finops.core.ledger.Ledger;
import dev.finops.core.ledger.LedgerFixtures;
import dev.finops.core.pricing.Pricing;
import dev.finops.core.spot.InterruptionNotice;
import dev.finops.core.spot.SpotEconomics;
import dev.finops.core.training.Hardware;
import dev.finops.core.training.ResumePoint;
import dev.finops.core.training.TrainingRun;
import dev.finops.core.training.TrainingRunReport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training run resumed from its journal after a kill: one run, one cost. Prices of the GPU test
 * catalog: one p4d.24xlarge (8 GPUs) at 1.50 per GPU-hour on spot (12.00 an hour) and 4.00 on demand.
 */
class TrainingRunResumeTest {

  @TempDir
  Path dir;

  private final Pricing pricing = LedgerFixtures.pricing(LedgerFixtures.gpuCatalog());
  private static final Tags NLP = Tags.builder().team("nlp").build();

  /** One process: its own clock and ledger. */
  private final class Process {
    final ManualClock clock;
    final Ledger ledger;

    Process(ManualClock clock) {
      this.clock = clock;
      this.ledger = LedgerFixtures.ledger(clock);
    }

    TrainingRun start(String runId, ResumePoint point) {
      return TrainingRun.builder(pricing, ledger).runId(runId).tags(NLP)
          .hardware(Hardware.instances("aws", "us-east-1", "p4d.24xlarge", 1, PurchaseOption.SPOT))
          .journal(RunJournal.open(dir, runId)).resumesFrom(point).start();
    }

    void steps(TrainingRun run, int n, Duration each) {
      for (int i = 0; i < n; i++) {
        clock.advance(each);
        run.step(64, 4_096);
      }
    }

    Money ledgerCost(String runId) {
      return ledger.snapshot().where("run", runId).total().cost();
    }
  }

  /** The process dies: nothing more is written; the operating system releases the journal's lock. */
  private static void kill(TrainingRun run) {
    run.journal().close();
  }

  @Test
  void aRunKilledAndResumedInANewProcessIsOneRunWithOneCost() {
    Process first = new Process(LedgerFixtures.clock());
    TrainingRun run = first.start("ft", ResumePoint.LAST_CHECKPOINT);
    first.steps(run, 3, Duration.ofMinutes(30));
    run.checkpoint(); // at 1.5 h: 12 GPU-hours
    first.steps(run, 1, Duration.ofMinutes(30));
    kill(run); // at 2 h: 16 GPU-hours, the last 4 of them after the checkpoint

    // A new process, an hour later (the downtime is not billed), on a fresh ledger.
    Process second = new Process(ManualClock.at(first.clock.instant().plus(Duration.ofHours(1))));
    TrainingRun resumed = second.start("ft", ResumePoint.LAST_CHECKPOINT);
    assertThat(resumed.attempt()).isEqualTo(2);
    // The new ledger holds attempt 1 at once: one catch-up record of 16 GPU-hours at 1.50.
    assertThat(second.ledgerCost("ft")).isEqualTo(Money.usd("24"));
    assertThat(second.ledger.snapshot().where("run", "ft").total().records()).isEqualTo(1);

    second.clock.advance(Duration.ofMinutes(15)); // boot and reload: 2 GPU-hours, no step
    resumed.utilization(second.clock.wallTimeMillis(), 1_000);
    second.steps(resumed, 6, Duration.ofMinutes(30)); // 24 GPU-hours of training
    resumed.close();

    TrainingRunReport r = resumed.report();
    assertThat(r.steps()).isEqualTo(10);
    assertThat(r.checkpoints()).isEqualTo(1);
    assertThat(r.samples()).isEqualTo(640);
    assertThat(r.attempts()).isEqualTo(2);
    assertThat(r.interruptions()).isEqualTo(1);
    // 16 + 2 + 24 = 42 GPU-hours at 1.50 = 63.00
    assertThat(r.gpuMillis()).isEqualTo(42 * 3_600_000L);
    assertThat(r.cost()).isEqualTo(Money.usd("63"));
    assertThat(r.lostGpuMillis()).isEqualTo(4 * 3_600_000L);
    assertThat(r.restartGpuMillis()).isEqualTo(2 * 3_600_000L);
    assertThat(r.start()).isEqualTo(LedgerFixtures.T0);
    // Spot against on demand: the useful 36 GPU-hours at 4.00 = 144.00
    SpotEconomics spot = r.spotEconomics();
    assertThat(spot.spotCost()).isEqualTo(Money.usd("63"));
    assertThat(spot.lostWorkCost()).isEqualTo(Money.usd("6"));
    assertThat(spot.restartCost()).isEqualTo(Money.usd("3"));
    assertThat(spot.onDemandCost()).isEqualTo(Money.usd("144"));
    assertThat(spot.grossSavings()).isEqualTo(Money.usd("90")); // 144 − (63 − 6 − 3)
    assertThat(spot.netSavings()).isEqualTo(Money.usd("81"));
    assertThat(spot.netSavingsFraction(4)).isEqualByComparingTo("0.5625");
    // The new process's ledger shows the whole run.
    assertThat(second.ledgerCost("ft")).isEqualTo(Money.usd("63"));

    // The journal says the same, read cold.
    RunState s = RunJournal.read(dir, "ft").state();
    assertThat(s.isClosed()).isTrue();
    assertThat(s.cost()).isEqualTo(r.cost());
    assertThat(s.totals().steps()).isEqualTo(10);
    assertThat(s.spotEconomics().netSavings()).isEqualTo(Money.usd("81"));
    assertThat(s.attempts()).extracting(AttemptSummary::outcome)
        .containsExactly(AttemptSummary.Outcome.OPEN, AttemptSummary.Outcome.CLOSED);
  }

  @Test
  void resumedInTheSameProcessTheLedgerCountsNothingTwice() {
    Process p = new Process(LedgerFixtures.clock());
    TrainingRun run = p.start("same", ResumePoint.LAST_STEP);
    p.steps(run, 2, Duration.ofMinutes(30));
    kill(run);

    TrainingRun resumed = p.start("same", ResumePoint.LAST_STEP);
    p.steps(resumed, 2, Duration.ofMinutes(30));
    resumed.close();

    // 2 h × 8 GPUs × 1.50 = 24.00, in the report and the ledger alike
    assertThat(resumed.report().cost()).isEqualTo(Money.usd("24"));
    assertThat(p.ledgerCost("same")).isEqualTo(Money.usd("24"));
    assertThat(resumed.report().lostGpuMillis()).isZero(); // resumed from the last step: nothing redone
  }

  @Test
  void anInterruptionNoticeMakesTheBillDurableAndAnEmergencyCheckpointSavesTheWork() {
    Process p = new Process(LedgerFixtures.clock());
    TrainingRun run = p.start("notice", ResumePoint.LAST_CHECKPOINT);
    p.steps(run, 2, Duration.ofMinutes(30));
    AtomicInteger saved = new AtomicInteger();
    p.clock.advance(Duration.ofMinutes(10));
    InterruptionNotice notice = new InterruptionNotice("aws", "terminate", p.clock.instant(),
        p.clock.instant().plus(Duration.ofMinutes(2)));

    run.interruptionListener(saved::incrementAndGet).onInterruption(notice);

    assertThat(saved).hasValue(1);
    RunState onDisk = RunJournal.read(dir, "notice").state();
    assertThat(onDisk.lastAttempt().notice()).isEqualTo(notice);
    assertThat(onDisk.totals().gpuMillis()).isEqualTo(8 * 70 * 60_000L); // closed at the notice: 70 minutes
    assertThat(onDisk.totals().checkpoints()).isEqualTo(1);

    p.clock.advance(Duration.ofMinutes(1)); // the machine runs on until AWS reclaims it
    run.utilization(p.clock.wallTimeMillis(), 500);
    kill(run);

    TrainingRun resumed = p.start("notice", ResumePoint.LAST_CHECKPOINT);
    resumed.close();
    TrainingRunReport r = resumed.report();
    assertThat(r.notices()).isEqualTo(1);
    assertThat(r.interruptions()).isEqualTo(1);
    assertThat(r.lostGpuMillis()).isEqualTo(8 * 60_000L); // only the minute after the emergency checkpoint
  }

  @Test
  void aClosedRunDoesNotResumeAndAJournalBelongsToOneRun() {
    Process p = new Process(LedgerFixtures.clock());
    TrainingRun run = p.start("done", ResumePoint.LAST_STEP);
    p.steps(run, 1, Duration.ofMinutes(5));
    run.close();

    assertThatThrownBy(() -> p.start("done", ResumePoint.LAST_STEP)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("training run done was closed").hasMessageContaining("cannot resume");
    RunJournal other = RunJournal.open(dir, "other");
    assertThatThrownBy(() -> TrainingRun.builder(pricing, p.ledger).runId("mine").hardware(Hardware.customRate("x", 1,
        Money.usd("1"))).journal(other).start()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("journal of run other");
  }

  @Test
  void suspendEndsTheAttemptCleanlyAndJournalDirectoryOpensTheJournal() {
    ManualClock clock = LedgerFixtures.clock();
    Ledger ledger = LedgerFixtures.ledger(clock);
    TrainingRun run = TrainingRun.builder(pricing, ledger).runId("sus").hardware(Hardware.customRate("x", 2,
        Money.usd("3"))).journalDirectory(dir).start();
    clock.advance(Duration.ofMinutes(30));
    run.step(1, 1);
    run.suspend();
    assertThat(run.isClosed()).isTrue();
    assertThat(RunJournal.read(dir, "sus").state().lastAttempt().outcome())
        .isEqualTo(AttemptSummary.Outcome.SUSPENDED);

    TrainingRun resumed = TrainingRun.builder(pricing, ledger).runId("sus").hardware(Hardware.customRate("x", 2,
        Money.usd("3"))).journalDirectory(dir).start();
    clock.advance(Duration.ofMinutes(30));
    resumed.step(1, 1);
    resumed.close();
    // 2 GPUs × 1 h × 3.00; a custom rate has no on-demand comparison
    assertThat(resumed.report().cost()).isEqualTo(Money.usd("6"));
    assertThat(resumed.report().spotEconomics()).isNull();
    assertThat(ledger.snapshot().where("run", "sus").total().cost()).isEqualTo(Money.usd("6"));
  }

  @Test
  void aSpotRunWithoutJournalStillComparesWithOnDemand() {
    Process p = new Process(LedgerFixtures.clock());
    TrainingRun run = TrainingRun.builder(pricing, p.ledger).runId("plain").tags(NLP)
        .hardware(Hardware.instances("aws", "us-east-1", "p4d.24xlarge", 1, PurchaseOption.SPOT)).start();
    p.clock.advance(Duration.ofHours(1));
    run.close();

    TrainingRunReport r = run.report();
    assertThat(r.attempts()).isEqualTo(1);
    assertThat(r.spotEconomics().netSavings()).isEqualTo(Money.usd("20")); // 32 on demand − 12 on spot
  }

  @Test
  void aFailedJournalStopsTheTrainingLoopRatherThanLoseTheBill() {
    FaultyChannel.Faults faults = new FaultyChannel.Faults();
    ManualClock clock = LedgerFixtures.clock();
    TrainingRun run = TrainingRun.builder(pricing, LedgerFixtures.ledger(clock)).runId("eio")
        .hardware(Hardware.customRate("x", 1, Money.usd("1")))
        .journal(RunJournal.builder(dir, "eio").opener(faults.opener()).build()).start();
    faults.failForce = true;
    clock.advance(Duration.ofMinutes(1));

    assertThatThrownBy(() -> run.step(1, 1)).isInstanceOf(JournalFailedException.class);
    assertThatThrownBy(() -> run.step(1, 1)).isInstanceOf(JournalFailedException.class);
  }
}

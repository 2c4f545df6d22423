package dev.finops.core.training;

import dev.finops.core.ManualClock;
import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.ledger.Ledger;
import dev.finops.core.ledger.LedgerFixtures;
import dev.finops.core.ledger.LedgerSnapshot;
import dev.finops.core.pricing.Pricing;
import java.time.Duration;

/**
 * A manual clock, a ledger on it and pricing over the GPU catalog of {@link LedgerFixtures} (p4d:
 * 8 GPUs, 4.00 per GPU-hour on demand, 1.50 on spot; onprem-dgx: 1.90 per GPU-hour).
 */
final class TrainingFixtures {

  final ManualClock clock = LedgerFixtures.clock();
  final Ledger ledger = LedgerFixtures.ledger(clock);
  final Pricing pricing = LedgerFixtures.pricing(LedgerFixtures.gpuCatalog());

  /** 8 GPUs at 2.50 per GPU-hour: 20.00 per hour of wall time. */
  static Hardware eightGpusAt250() {
    return Hardware.customRate("test", 8, Money.usd("2.50"));
  }

  TrainingRun start(String runId, Tags tags, Hardware hardware) {
    return TrainingRun.builder(pricing, ledger).runId(runId).tags(tags).hardware(hardware).start();
  }

  TrainingRun start(String runId, Hardware hardware) {
    return start(runId, Tags.builder().team("nlp").build(), hardware);
  }

  /** Moves the clock by {@code d} and records one step of 64 samples and 4,096 tokens. */
  void stepAfter(TrainingRun run, Duration d) {
    clock.advance(d);
    run.step(64, 4_096);
  }

  /** What the ledger holds for a run now. */
  LedgerSnapshot.Totals inLedger(String runId) {
    return ledger.snapshot().where("run", runId).total();
  }
}

package dev.finops.core.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finops.core.Money;
import dev.finops.core.catalog.PurchaseOption;
import dev.finops.core.ledger.LedgerFixtures;
import dev.finops.core.pricing.PriceKey;
import dev.finops.core.pricing.Pricing;
import dev.finops.core.spot.InterruptionNotice;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run's journal: records with deterministic ids, the state they restore, checkpoints, the mirror. */
class RunJournalTest {

  @TempDir
  Path dir;

  private static final BigDecimal SPOT = new BigDecimal("1.50");
  private static final BigDecimal ON_DEMAND = new BigDecimal("4.00");

  /** A progress record of attempt {@code attempt}: the run's GPU time and steps so far. */
  private static RunRecord.Builder progress(int attempt, long runGpuMs, long attemptGpuMs, long steps) {
    return RunRecord.builder(RecordType.PROGRESS, attempt, SPOT, Money.USD).event("step").time(1_000 + runGpuMs)
        .totals(RunTotals.builder().gpuMillis(runGpuMs).steps(steps).gpuMillisAtStep(runGpuMs).build())
        .attemptGpuMillis(attemptGpuMs, 0).onDemandRate(ON_DEMAND);
  }

  private static RunRecord.Builder start(int attempt, long runGpuMs, long steps, long previousLost) {
    PriceKey key = LedgerFixtures.pricing(LedgerFixtures.gpuCatalog())
        .gpuKey("aws", "us-east-1", "p4d.24xlarge", PurchaseOption.SPOT, LedgerFixtures.T0.toEpochMilli());
    return RunRecord.builder(RecordType.ATTEMPT_STARTED, attempt, SPOT, Money.USD).time(1_000 + runGpuMs)
        .totals(RunTotals.builder().gpuMillis(runGpuMs).steps(steps).gpuMillisAtStep(runGpuMs).build())
        .onDemandRate(ON_DEMAND).hardware("1 x p4d.24xlarge (spot)", 8, key)
        .resumed(attempt == 1 ? null : "last_step", previousLost);
  }

  @Test
  void recordsGetDeterministicIdsAndFoldIntoTheRunsState() {
    try (RunJournal j = RunJournal.open(dir, "ft-1")) {
      assertThat(j.append(start(1, 0, 0, 0)).id().toString()).isEqualTo("ft-1/1/1");
      assertThat(j.append(progress(1, 3_600_000, 3_600_000, 1)).id()).isEqualTo(new RecordId("ft-1", 1, 2));
      assertThat(j.append(start(2, 3_600_000, 1, 0)).id().toString()).isEqualTo("ft-1/2/3");
      j.append(progress(2, 7_200_000, 3_600_000, 2));
    }

    RunState s = RunJournal.open(dir, "ft-1").state();
    assertThat(s.lastSeq()).isEqualTo(4);
    assertThat(s.totals().steps()).isEqualTo(2);
    assertThat(s.attempts()).extracting(AttemptSummary::number).containsExactly(1, 2);
    assertThat(s.interruptions()).isEqualTo(1);
    // 2 GPU-hours at 1.50 = 3.00; on demand the same (nothing lost) at 4.00 = 8.00
    assertThat(s.cost()).isEqualTo(Money.usd("3.00"));
    assertThat(s.onDemandCost()).isEqualTo(Money.usd("8.00"));
    assertThat(s.spotEconomics().netSavings()).isEqualTo(Money.usd("5.00"));
    assertThat(RecordId.parse("ft-1/2/3")).isEqualTo(new RecordId("ft-1", 2, 3));
  }

  @Test
  void theAttemptStartRecordCarriesAnExactPriceKeyThatComparesEqualToTheCatalogs() {
    Pricing pricing = LedgerFixtures.pricing(LedgerFixtures.gpuCatalog());
    PriceKey key = pricing.gpuKey("aws", "us-east-1", "p4d.24xlarge", PurchaseOption.SPOT,
        LedgerFixtures.T0.toEpochMilli());
    InterruptionNotice notice = new InterruptionNotice("aws", "terminate", Instant.parse("2026-03-02T10:00:00Z"),
        Instant.parse("2026-03-02T10:02:00Z"));
    try (RunJournal j = RunJournal.open(dir, "keys")) {
      j.append(start(1, 0, 0, 0));
      j.append(RunRecord.builder(RecordType.INTERRUPTION, 1, SPOT, Money.USD).event("notice").notice(notice));
    }

    RunState s = RunJournal.read(dir, "keys").state();
    assertThat(s.lastAttempt().priceKey()).isEqualTo(key);
    assertThat(s.lastAttempt().notice()).isEqualTo(notice);
    assertThat(s.notices()).isEqualTo(1);
  }

  @Test
  void aCheckpointRestoresTheRunWhenItsJournalIsLostAndNumberingNeverRepeats() throws IOException {
    try (RunJournal j = RunJournal.open(dir, "ckpt")) {
      j.append(start(1, 0, 0, 0));
      j.append(progress(1, 1_000, 1_000, 1));
      j.checkpoint();
    }
    Path run = dir.resolve("ckpt");
    assertThat(run.resolve("checkpoint.json")).exists();
    assertThat(run.resolve("checkpoint.json.tmp")).doesNotExist();

    Files.delete(run.resolve("journal.log"));
    try (RunJournal j = RunJournal.open(dir, "ckpt")) {
      assertThat(j.state().totals().steps()).isEqualTo(1);
      assertThat(j.state().lastSeq()).isEqualTo(2);
      assertThat(j.append(progress(1, 2_000, 2_000, 2)).id().seq()).isEqualTo(3);
    }
    assertThat(RunJournal.read(dir, "ckpt").state().totals().steps()).isEqualTo(2);
  }

  @Test
  void readingWhileTheRunWritesChangesNothing() throws IOException {
    try (RunJournal j = RunJournal.open(dir, "live")) {
      j.append(start(1, 0, 0, 0));
      j.append(progress(1, 1_000, 1_000, 1));
      Path log = dir.resolve("live").resolve(RunJournal.JOURNAL_FILE);
      Files.write(log, new byte[] {(byte) 0xF1, 'J', 'R'}, java.nio.file.StandardOpenOption.APPEND); // a write in flight
      long size = Files.size(log);

      RunJournal.Contents c = RunJournal.read(dir, "live");

      assertThat(c.state().totals().steps()).isEqualTo(1);
      assertThat(c.recovery().tornTailBytes()).isEqualTo(3);
      assertThat(Files.size(log)).isEqualTo(size);
    }
  }

  @Test
  void aMirrorCarriesTheRunToAFreshMachine() throws IOException {
    Path shared = dir.resolve("shared");
    Path local = dir.resolve("local");
    try (RunJournal j = RunJournal.builder(local, "far").mirror(shared).build()) {
      j.append(start(1, 0, 0, 0));
      j.append(progress(1, 5_000, 5_000, 3));
      j.checkpoint();
    }
    assertThat(shared.resolve("far").resolve("checkpoint.json")).exists();

    Path fresh = dir.resolve("fresh-disk");
    try (RunJournal j = RunJournal.builder(fresh, "far").mirror(shared).build()) {
      assertThat(j.state().totals().steps()).isEqualTo(3);
      assertThat(j.append(progress(1, 6_000, 6_000, 4)).id().seq()).isEqualTo(3);
    }
  }

  @Test
  void runIdsMustNameAFileAndAMissingRunIsReported() {
    assertThatThrownBy(() -> RunJournal.open(dir, "../escape")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'../escape'");
    assertThatThrownBy(() -> RunJournal.open(dir, "a/b")).isInstanceOf(IllegalArgumentException.class);
    assertThat(RunJournal.exists(dir, "nothing")).isFalse();
    assertThatThrownBy(() -> RunJournal.read(dir, "nothing")).isInstanceOf(JournalException.class)
        .hasMessageContaining("no journal of run 'nothing'");
  }

  @Test
  void aFailedForceStopsTheRunJournal() {
    FaultyChannel.Faults faults = new FaultyChannel.Faults();
    RunJournal j = RunJournal.builder(dir, "eio").opener(faults.opener()).build();
    j.append(start(1, 0, 0, 0));
    faults.failForce = true;

    assertThatThrownBy(() -> j.append(progress(1, 1_000, 1_000, 1))).isInstanceOf(JournalFailedException.class);
    assertThat(j.isFailed()).isTrue();
    assertThatThrownBy(() -> j.append(progress(1, 2_000, 2_000, 2))).isInstanceOf(JournalFailedException.class);
    j.close();
  }
}

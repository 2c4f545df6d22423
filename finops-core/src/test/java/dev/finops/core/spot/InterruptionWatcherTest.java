package dev.finops.core.spot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finops.core.ManualClock;
import dev.finops.core.catalog.PurchaseOption;
import dev.finops.core.journal.RunJournal;
import dev.finops.core.journal.RunState;
import dev.finops.core.ledger.LedgerFixtures;
import dev.finops.core.training.Hardware;
import dev.finops.core.training.TrainingRun;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The AWS and GCP interruption watchers against a local server that plays each metadata service. */
class InterruptionWatcherTest {

  private final FakeMetadataServer server = new FakeMetadataServer();
  private final ManualClock clock = ManualClock.at(Instant.parse("2026-11-02T10:00:00Z"));
  private final List<InterruptionNotice> heard = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();

  InterruptionWatcherTest() throws IOException {}

  @AfterEach
  void stop() {
    server.close();
    executor.shutdownNow();
  }

  private InterruptionWatcher.Builder aws() {
    return InterruptionWatcher.aws().baseUri(server.uri()).clock(clock).executor(executor)
        .requestTimeout(Duration.ofMillis(500)).listener(heard::add);
  }

  private InterruptionWatcher.Builder gcp() {
    return InterruptionWatcher.gcp().baseUri(server.uri()).clock(clock).executor(executor)
        .requestTimeout(Duration.ofMillis(500)).listener(heard::add);
  }

  @Test
  void awsAnswers404UntilANoticeWithItsTimeAndTheTokenIsReused() {
    try (InterruptionWatcher w = aws().build()) {
      assertThat(w.poll()).isEmpty();
      assertThat(w.poll()).isEmpty();
      assertThat(heard).isEmpty();

      clock.advance(Duration.ofSeconds(10));
      server.interrupt("terminate", "2026-11-02T10:02:10Z");
      InterruptionNotice n = w.poll().orElseThrow();

      assertThat(n).isEqualTo(new InterruptionNotice("aws", "terminate", Instant.parse("2026-11-02T10:00:10Z"),
          Instant.parse("2026-11-02T10:02:10Z")));
      assertThat(heard).containsExactly(n);
      assertThat(server.tokensIssued).hasValue(1); // one IMDSv2 token for all three checks
      assertThat(w.pollCount()).isEqualTo(3);
      assertThat(w.errorCount()).isZero();

      // Told once: later polls answer from memory and ask nothing.
      int asked = server.actionRequests.get();
      assertThat(w.poll()).contains(n);
      assertThat(server.actionRequests).hasValue(asked);
      assertThat(heard).hasSize(1);
    }
  }

  @Test
  void awsTokenIsRequestedWithItsTtlAndRenewedAfterA401() {
    try (InterruptionWatcher w = aws().tokenTtl(Duration.ofMinutes(30)).build()) {
      assertThat(w.poll()).isEmpty();
      server.revokeTokens();
      server.interrupt("stop", "2026-11-02T10:02:00Z");

      assertThat(w.poll()).map(InterruptionNotice::action).contains("stop");
      assertThat(server.tokensIssued).hasValue(2);
      assertThat(w.errorCount()).isZero();
    }
  }

  @Test
  void errorsAndTimeoutsAreCountedAndPollingCarriesOn() {
    try (InterruptionWatcher w = aws().build()) {
      server.failNext(1);
      assertThat(w.poll()).isEmpty();
      assertThat(w.errorCount()).isEqualTo(1);
      assertThat(w.lastError()).contains("HTTP 500");

      server.hang();
      assertThat(w.poll()).isEmpty();
      assertThat(w.errorCount()).isEqualTo(2);
      assertThat(w.lastError()).containsIgnoringCase("timed out");
      server.release();

      server.interrupt("terminate", "not a time");
      InterruptionNotice n = w.poll().orElseThrow();
      assertThat(n.actionTime()).isNull(); // the notice matters more than its unparsable time
    }
    try (InterruptionWatcher unreachable = InterruptionWatcher.aws().baseUri(java.net.URI.create("http://127.0.0.1:9"))
        .requestTimeout(Duration.ofMillis(300)).executor(executor).build()) {
      assertThat(unreachable.poll()).isEmpty();
      assertThat(unreachable.errorCount()).isEqualTo(1);
    }
  }

  @Test
  void pollingOnTheExecutorTellsTheListenerOnceAndStops() throws InterruptedException {
    CountDownLatch told = new CountDownLatch(1);
    try (InterruptionWatcher w = aws().pollPeriod(Duration.ofMillis(20)).listener(n -> told.countDown()).build()) {
      w.start();
      server.failNext(2); // two failed checks do not stop it
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (w.pollCount() < 4 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(w.errorCount()).isEqualTo(2);
      server.interrupt("terminate", "2026-11-02T10:02:00Z");

      assertThat(told.await(10, TimeUnit.SECONDS)).isTrue();
      long polls = w.pollCount();
      executor.submit(() -> { }).get(5, TimeUnit.SECONDS); // let any queued poll finish
      assertThat(w.pollCount()).isEqualTo(polls);
      assertThat(heard).hasSize(1);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void gcpAnswersFalseUntilPreemptedAndNeedsTheFlavorHeader() {
    try (InterruptionWatcher w = gcp().build()) {
      assertThat(w.poll()).isEmpty();
      server.interrupt("preempted", "");

      InterruptionNotice n = w.poll().orElseThrow();
      assertThat(n).isEqualTo(new InterruptionNotice("gcp", "preempted", clock.instant(), null));
      assertThat(heard).containsExactly(n);
      assertThat(server.queries).containsExactly("", "");
      assertThat(w.errorCount()).isZero(); // the header was sent: no 403
    }
  }

  @Test
  void gcpLongPollsWithWaitForChange() throws InterruptedException {
    CountDownLatch told = new CountDownLatch(1);
    try (InterruptionWatcher w = gcp().waitForChange(Duration.ofSeconds(4)).listener(n -> told.countDown()).build()) {
      w.start();
      assertThat(server.longPollArrived.await(10, TimeUnit.SECONDS)).isTrue();
      server.interrupt("preempted", "");

      assertThat(told.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(server.queries.get(0)).isEqualTo("wait_for_change=true&timeout_sec=4");
      assertThat(heard).extracting(InterruptionNotice::provider).containsExactly("gcp");
    }
  }

  @Test
  void gcpUnexpectedAnswersAreErrors() {
    server.gcpBody("MAYBE");
    try (InterruptionWatcher w = gcp().build()) {
      assertThat(w.poll()).isEmpty();
      assertThat(w.lastError()).contains("neither TRUE nor FALSE");
    }
    assertThatThrownBy(() -> InterruptionWatcher.aws().waitForChange(Duration.ofSeconds(1)))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> InterruptionWatcher.gcp().pollPeriod(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aNoticeMakesTheRunsBillDurableAndRunsTheCheckpointHook(@TempDir Path dir) {
    ManualClock runClock = LedgerFixtures.clock();
    TrainingRun run = TrainingRun.builder(LedgerFixtures.pricing(LedgerFixtures.gpuCatalog()),
        LedgerFixtures.ledger(runClock)).runId("ft-spot")
        .hardware(Hardware.instances("aws", "us-east-1", "p4d.24xlarge", 1, PurchaseOption.SPOT))
        .journal(RunJournal.open(dir, "ft-spot")).start();
    runClock.advance(Duration.ofMinutes(30));
    run.step(64, 4_096);
    runClock.advance(Duration.ofMinutes(7));
    List<String> hook = new CopyOnWriteArrayList<>();

    try (InterruptionWatcher w = aws().clock(runClock).listener(run.interruptionListener(() -> hook.add("saved")))
        .build()) {
      server.interrupt("terminate", "2026-03-02T10:39:00Z");
      w.poll();
    }

    assertThat(hook).containsExactly("saved");
    RunState s = RunJournal.read(dir, "ft-spot").state();
    assertThat(s.lastAttempt().notice().action()).isEqualTo("terminate");
    assertThat(s.totals().gpuMillis()).isEqualTo(8 * 37 * 60_000L); // booked up to the notice
    assertThat(s.totals().checkpoints()).isEqualTo(1);
    assertThat(s.totals().gpuMillisAtCheckpoint()).isEqualTo(s.totals().gpuMillis());
  }
}

package dev.finops.core.training;

import dev.finops.core.Money;
import dev.finops.core.UsageBucket;
import dev.finops.core.catalog.PriceSource;
import dev.finops.core.catalog.PurchaseOption;
import dev.finops.core.journal.AttemptSummary;
import dev.finops.core.journal.RecordType;
import dev.finops.core.journal.RunJournal;
import dev.finops.core.journal.RunRecord;
import dev.finops.core.journal.RunState;
import dev.finops.core.journal.RunTotals;
import dev.finops.core.ledger.Account;
import dev.finops.core.ledger.Ledger;
import dev.finops.core.pricing.PriceKey;
import dev.finops.core.pricing.Pricing;
import dev.finops.core.pricing.PricingException;
import dev.finops.core.spot.InterruptionNotice;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A training run's current attempt and the attempts before it: resumes from the run's journal (the
 * restored totals, the lost work of the interrupted attempt, the catch-up of earlier GPU time into
 * this process's ledger), journals the run's records, and keeps the figures of its report. Without a
 * journal the run is one attempt and nothing is written. Not thread-safe: the run synchronizes.
 *
 * <p>The ledger is in memory, per process. Each attempt records its GPU time into the ledger as it
 * accrues; an attempt resumed in a new process records the GPU time of the earlier attempts as one
 * catch-up record per price key (normally one), with the run's tags, at the resume time, so the
 * ledger shows the whole run's cost. Which attempts a ledger already holds is remembered per ledger
 * instance, so an attempt resumed in the same process (the same ledger) is not counted twice.
 */
final class AttemptLog {

  private static final long MILLIS_PER_HOUR = 3_600_000L;

  /** For each ledger of this process: per run id, the attempts whose GPU time it holds. */
  private static final Map<Ledger, Map<String, Set<Integer>>> BOOKED =
      Collections.synchronizedMap(new WeakHashMap<>());

  private final RunJournal journal; // null: not journaled
  private final int attempt;
  private final BigDecimal rate; // as journaled (a rounding of a rate per GPU-hour that does not terminate)
  private final Money hourly; // exact
  private final java.util.Currency currency;
  private final BigDecimal onDemandRate; // null: unknown
  private final RunTotals restored;
  private List<AttemptSummary> previous;
  private final long firstStartMillis;
  private long gpuAtCheckpoint;
  private long gpuAtStep;
  private boolean stepped;
  private long attemptGpuAtLastRecord;
  private long restartGpuMillis;
  private boolean noticed;

  private AttemptLog(RunJournal journal, int attempt, PriceKey key, BigDecimal onDemandRate,
      RunTotals restored, List<AttemptSummary> previous, long firstStartMillis) {
    this.journal = journal;
    this.attempt = attempt;
    this.rate = key.rates().price(UsageBucket.GPU_TIME.ordinal());
    this.hourly = key.gpuHourly();
    this.currency = key.currency();
    this.onDemandRate = onDemandRate;
    this.restored = restored;
    this.previous = previous;
    this.firstStartMillis = firstStartMillis;
    this.gpuAtCheckpoint = restored.gpuMillisAtCheckpoint();
    this.gpuAtStep = restored.gpuMillisAtStep();
    this.stepped = attempt == 1;
  }

  /**
   * Starts the run's attempt: a fresh run, or a resume of the run in {@code journal} (or in {@code
   * directory}, opened here).
   *
   * @throws IllegalStateException if the journal belongs to another run or the run was closed
   */
  static AttemptLog begin(RunJournal journal, Path directory, ResumePoint point, Pricing pricing, Ledger ledger,
      Account account, String runId, Hardware hardware, PriceKey key, int gpus, long startWall) {
    BigDecimal onDemand = onDemandRate(hardware, key, pricing, startWall);
    boolean owns = journal == null && directory != null;
    RunJournal j = owns ? RunJournal.open(directory, runId) : journal;
    if (j == null) {
      return new AttemptLog(null, 1, key, onDemand, RunTotals.ZERO, List.of(), startWall);
    }
    try {
      if (!j.runId().equals(runId)) {
        throw new IllegalStateException("training run " + runId + " was given the journal of run " + j.runId());
      }
      RunState state = j.state();
      if (state.isClosed()) {
        throw new IllegalStateException("training run " + runId + " was closed at " + state.lastTime()
            + "; its journal in " + j.directory() + " is complete and cannot resume");
      }
      AttemptSummary last = state.lastAttempt();
      int attempt = last == null ? 1 : last.number() + 1;
      long lost = last == null ? 0 : lostGpuMillis(state.totals(), last, point);
      catchUp(ledger, account, runId, state, attempt, key, startWall);
      AttemptLog log = new AttemptLog(j, attempt, key, onDemand, state.totals(), List.of(),
          last == null ? startWall : state.start().toEpochMilli());
      RunRecord.Builder start = log.record(RecordType.ATTEMPT_STARTED, "start", startWall, state.totals().toBuilder())
          .hardware(hardware.toString(), gpus, key);
      if (last != null) {
        start.resumed(point.jsonName(), lost);
      }
      j.append(start);
      // The earlier attempts as the journal now has them: the last one with the work it lost.
      List<AttemptSummary> earlier = new ArrayList<>();
      for (AttemptSummary a : j.state().attempts()) {
        if (a.number() < attempt) {
          earlier.add(a);
        }
      }
      log.previous = List.copyOf(earlier);
      return log;
    } catch (RuntimeException e) {
      if (owns) {
        j.close();
      }
      throw e;
    }
  }

  /**
   * The GPU time the last attempt lost: from the later of the resume point and the end of its restart
   * overhead, to its end.
   */
  static long lostGpuMillis(RunTotals end, AttemptSummary last, ResumePoint point) {
    long resumedFrom = point == ResumePoint.LAST_STEP ? end.gpuMillisAtStep() : end.gpuMillisAtCheckpoint();
    long attemptStart = end.gpuMillis() - last.gpuMillis();
    return Math.max(0, end.gpuMillis() - Math.max(resumedFrom, attemptStart + last.restartGpuMillis()));
  }

  /** Records earlier attempts' GPU time that this process's ledger does not hold yet. */
  private static void catchUp(Ledger ledger, Account account, String runId, RunState state, int attempt,
      PriceKey current, long now) {
    Set<Integer> booked = BOOKED.computeIfAbsent(ledger, l -> new ConcurrentHashMap<>())
        .computeIfAbsent(runId, r -> ConcurrentHashMap.newKeySet());
    Map<PriceKey, Long> missing = new LinkedHashMap<>();
    for (AttemptSummary a : state.attempts()) {
      if (booked.add(a.number()) && a.gpuMillis() > 0) {
        missing.merge(keyOf(a, current), a.gpuMillis(), Long::sum);
      }
    }
    booked.add(attempt);
    missing.forEach((k, ms) -> account.record(k, UsageBucket.GPU_TIME, ms, now));
  }

  /** The attempt's own price key; the current one when the rate matches, else a key at its rate. */
  private static PriceKey keyOf(AttemptSummary a, PriceKey current) {
    if (a.priceKey() != null) {
      return a.priceKey().equals(current) ? current : a.priceKey();
    }
    return PriceKey.gpuTime(PriceKey.Kind.CUSTOM, "journal", "attempt " + a.number(), null, a.rate(),
        PriceSource.OVERRIDE, null, null, a.currency());
  }

  /** The on-demand rate per GPU-hour of a catalog instance bought on spot, or {@code null}. */
  private static BigDecimal onDemandRate(Hardware hardware, PriceKey key, Pricing pricing, long at) {
    if (key.kind() != PriceKey.Kind.GPU || key.purchaseOption() != PurchaseOption.SPOT) {
      return null;
    }
    try {
      return hardware.withOption(PurchaseOption.ON_DEMAND).priceKey(pricing, at).rates()
          .price(UsageBucket.GPU_TIME.ordinal());
    } catch (PricingException e) {
      return null;
    }
  }

  int attempt() {
    return attempt;
  }

  RunJournal journal() {
    return journal;
  }

  /** The run's totals when this attempt started (zero for a fresh run). */
  RunTotals restored() {
    return restored;
  }

  /** When the run's first attempt started. */
  long firstStartMillis() {
    return firstStartMillis;
  }

  void noticed() {
    noticed = true;
  }

  /**
   * Journals the run's figures after an event ({@code step}, {@code checkpoint}, ...); a no-op
   * without a journal. {@code totals} holds the run's counters; the resume points are added here.
   *
   * @throws dev.finops.core.journal.JournalFailedException if the journal has failed
   */
  void journal(RecordType type, String event, long now, RunTotals.Builder totals, InterruptionNotice notice) {
    RunRecord.Builder r = record(type, event, now, totals).notice(notice);
    if (journal != null) {
      journal.append(r);
      if ("checkpoint".equals(event)) {
        journal.checkpoint();
      }
    }
  }

  private RunRecord.Builder record(RecordType type, String event, long now, RunTotals.Builder totals) {
    RunTotals t = totals.build();
    long attemptGpu = t.gpuMillis() - restored.gpuMillis();
    if ("step".equals(event)) {
      if (!stepped) {
        stepped = true;
        restartGpuMillis = attemptGpuAtLastRecord;
      }
      gpuAtStep = t.gpuMillis();
    } else if ("checkpoint".equals(event)) {
      gpuAtCheckpoint = t.gpuMillis();
    }
    attemptGpuAtLastRecord = attemptGpu;
    RunTotals withPoints = t.toBuilder().gpuMillisAtCheckpoint(gpuAtCheckpoint).gpuMillisAtStep(gpuAtStep).build();
    return RunRecord.builder(type, attempt, rate, currency).event(event).time(now).totals(withPoints)
        .attemptGpuMillis(attemptGpu, restartMillis(attemptGpu)).onDemandRate(onDemandRate);
  }

  /** A resumed attempt's GPU time before its first step; all of it until the first step. */
  private long restartMillis(long attemptGpu) {
    return stepped ? restartGpuMillis : attemptGpu;
  }

  /** Forces the journal (on an interruption notice). */
  void force() {
    if (journal != null) {
      journal.force();
    }
  }

  /** Ends the attempt: checkpoint of the totals, journal forced and closed (the run owns its journal). */
  void end() {
    if (journal == null) {
      return;
    }
    journal.checkpoint();
    journal.force();
    journal.close();
  }

  /** The run's cost: earlier attempts at their rates, this attempt at its key. */
  Money cost(PriceKey key, long totalGpuMillis) {
    Money sum = Money.zero(currency);
    for (AttemptSummary a : previous) {
      sum = sum.plus(a.cost());
    }
    long[] q = new long[UsageBucket.COUNT];
    q[UsageBucket.GPU_TIME.ordinal()] = totalGpuMillis - restored.gpuMillis();
    return sum.plus(key.cost(q));
  }

  /** The figures of the run's report with {@code totalGpuMillis} of GPU time so far. */
  AttemptFigures figures(long totalGpuMillis) {
    long attemptGpu = totalGpuMillis - restored.gpuMillis();
    long restart = restartMillis(attemptGpu);
    int notices = noticed ? 1 : 0;
    long lost = 0;
    long restarts = restart;
    Money lostCost = Money.zero(currency);
    Money restartCost = hourly.times(restart).dividedBy(MILLIS_PER_HOUR);
    Money onDemand = onDemandRate == null ? null : at(onDemandRate, attemptGpu - restart);
    for (AttemptSummary a : previous) {
      notices += a.notice() == null ? 0 : 1;
      lost += a.lostGpuMillis();
      restarts += a.restartGpuMillis();
      lostCost = lostCost.plus(a.lostWorkCost());
      restartCost = restartCost.plus(a.restartCost());
      Money od = a.onDemandCost();
      onDemand = onDemand == null || od == null ? null : onDemand.plus(od);
    }
    return new AttemptFigures(attempt, notices, lost, restarts, lostCost, restartCost, onDemand);
  }

  private Money at(BigDecimal perHour, long millis) {
    return Money.ofFraction(perHour.multiply(BigDecimal.valueOf(millis)), MILLIS_PER_HOUR, currency);
  }
}

package dev.finops.core.journal;

import dev.finops.core.Money;
import dev.finops.core.spot.SpotEconomics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A training run as its journal (and last checkpoint) restore it: the cumulative {@link RunTotals},
 * every attempt with its price, restart overhead and lost work, whether the run was closed, and the
 * cost and spot economics derived from them, exactly. Immutable.
 *
 * <p>Cost is the sum over attempts of GPU time × that attempt's rate, so a run resumed on other
 * hardware is still priced exactly. Interruptions are the attempts that a later attempt followed.
 */
public final class RunState {

  private final String runId;
  private final long lastSeq;
  private final long lastMillis;
  private final boolean closed;
  private final RunTotals totals;
  private final List<AttemptSummary> attempts;

  RunState(String runId, long lastSeq, long lastMillis, boolean closed, RunTotals totals,
      List<AttemptSummary> attempts) {
    this.runId = runId;
    this.lastSeq = lastSeq;
    this.lastMillis = lastMillis;
    this.closed = closed;
    this.totals = totals;
    this.attempts = List.copyOf(attempts);
  }

  /** The state of a run with no records. */
  static RunState empty(String runId) {
    return new RunState(runId, 0, 0, false, RunTotals.ZERO, List.of());
  }

  public String runId() {
    return runId;
  }

  /** The sequence number of the last record applied (0 for none). */
  public long lastSeq() {
    return lastSeq;
  }

  /** The time of the last record, or {@code null} when there is none. */
  public Instant lastTime() {
    return lastSeq == 0 ? null : Instant.ofEpochMilli(lastMillis);
  }

  long lastMillis() {
    return lastMillis;
  }

  /** True when nothing was journaled yet. */
  public boolean isEmpty() {
    return attempts.isEmpty() && lastSeq == 0;
  }

  /** True when the run finished; it cannot resume. */
  public boolean isClosed() {
    return closed;
  }

  public RunTotals totals() {
    return totals;
  }

  /** The attempts in order, the first being 1. */
  public List<AttemptSummary> attempts() {
    return attempts;
  }

  /** The last attempt, or {@code null} when none started. */
  public AttemptSummary lastAttempt() {
    return attempts.isEmpty() ? null : attempts.get(attempts.size() - 1);
  }

  /** When the first attempt started, or {@code null}. */
  public Instant start() {
    return attempts.isEmpty() ? null : attempts.get(0).start();
  }

  /** Interruptions: attempts that ended without closing the run and were followed by another attempt. */
  public int interruptions() {
    return Math.max(0, attempts.size() - 1);
  }

  /** Attempts that received an interruption notice. */
  public int notices() {
    int n = 0;
    for (AttemptSummary a : attempts) {
      if (a.notice() != null) {
        n++;
      }
    }
    return n;
  }

  public Currency currency() {
    return attempts.isEmpty() ? Money.USD : attempts.get(0).currency();
  }

  /** The run's exact cost: Σ attempts' GPU time × their rates. */
  public Money cost() {
    return sum(AttemptSummary::cost);
  }

  /** GPU time lost to interruptions (redone by later attempts), GPU-milliseconds. */
  public long lostGpuMillis() {
    return attempts.stream().mapToLong(AttemptSummary::lostGpuMillis).sum();
  }

  /** GPU time resumed attempts spent before their first step, GPU-milliseconds. */
  public long restartGpuMillis() {
    return attempts.stream().mapToLong(AttemptSummary::restartGpuMillis).sum();
  }

  public Money lostWorkCost() {
    return sum(AttemptSummary::lostWorkCost);
  }

  public Money restartCost() {
    return sum(AttemptSummary::restartCost);
  }

  private Money sum(Function<AttemptSummary, Money> amount) {
    Money sum = Money.zero(currency());
    for (AttemptSummary a : attempts) {
      sum = sum.plus(amount.apply(a));
    }
    return sum;
  }

  /** The useful GPU time at on-demand rates, or {@code null} when an attempt's on-demand rate is unknown. */
  public Money onDemandCost() {
    Money sum = Money.zero(currency());
    for (AttemptSummary a : attempts) {
      Money od = a.onDemandCost();
      if (od == null) {
        return null;
      }
      sum = sum.plus(od);
    }
    return attempts.isEmpty() ? null : sum;
  }

  /** Spot against on-demand, or {@code null} when the on-demand rate is unknown (not a spot run). */
  public SpotEconomics spotEconomics() {
    Money od = onDemandCost();
    return od == null ? null : SpotEconomics.of(cost(), od, lostWorkCost(), restartCost());
  }

  @Override
  public String toString() {
    return "RunState{" + runId + ", seq " + lastSeq + (closed ? ", closed" : "") + ", " + totals + ", attempts="
        + attempts.size() + "}";
  }

  /** Applies records in sequence order on top of a starting state (a checkpoint, or nothing). Not thread-safe. */
  static final class Folder {
    private final String runId;
    private long lastSeq;
    private long lastMillis;
    private boolean closed;
    private RunTotals totals;
    private final TreeMap<Integer, AttemptSummary> attempts = new TreeMap<>();

    Folder(RunState start) {
      this.runId = start.runId;
      this.lastSeq = start.lastSeq;
      this.lastMillis = start.lastMillis;
      this.closed = start.closed;
      this.totals = start.totals;
      for (AttemptSummary a : start.attempts) {
        attempts.put(a.number(), a);
      }
    }

    /** Applies a record; records at or below the last applied sequence number are ignored (idempotent). */
    void apply(RunRecord r) {
      if (r.id().seq() <= lastSeq) {
        return;
      }
      lastSeq = r.id().seq();
      lastMillis = r.timeMillis();
      totals = r.totals();
      int n = r.id().attempt();
      AttemptSummary a = attempts.get(n);
      attempts.put(n, a == null ? AttemptSummary.of(r) : a.with(r));
      if (r.type() == RecordType.ATTEMPT_STARTED) {
        Map.Entry<Integer, AttemptSummary> previous = attempts.lowerEntry(n);
        if (previous != null) {
          attempts.put(previous.getKey(), previous.getValue().withLost(r.previousLostGpuMillis()));
        }
      }
      if (r.type() == RecordType.RUN_CLOSED) {
        closed = true;
      }
    }

    RunState state() {
      return new RunState(runId, lastSeq, lastMillis, closed, totals, new ArrayList<>(attempts.values()));
    }
  }
}

package dev.finops.core.budget;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.finops.core.Clock;
import dev.finops.core.CurrencyMismatchException;
import dev.finops.core.FinOps;
import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.pricing.PricedUsage;
import dev.finops.core.pricing.Pricing;
import dev.finops.core.training.TrainingRun;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Currency;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry of budgets and the place work is admitted against them: reserve an upper bound of the
 * cost on every budget that applies (all or nothing), run the work, settle to the actual cost (or
 * release). Built with the {@link Clock} and {@link Pricing} of the host ({@link #builder(FinOps)}).
 * Thread-safe; reserving, settling and releasing take no lock (adding and removing budgets do).
 *
 * <pre>{@code
 * BudgetManager budgets = BudgetManager.builder(finops)
 *     .listener(event -> alerts.offer(event))
 *     .build();
 * budgets.add(Budget.forTeam("nlp").limit(Money.usd("500")).daily(ZoneId.of("Europe/Paris"))
 *     .notifyAt("0.5", "0.8", "0.9").build());
 * budgets.add(Budget.forExperiment("lr-sweep").limit(Money.usd("120")).terminateAt("1").build());
 *
 * BudgetScope scope = budgets.scope(tags);                      // bind once, like an Account
 * try (Reservation r = scope.reserve(budgets.estimator().llmCall(gpt, promptTokens, maxTokens))) {
 *   r.settle(finops.price("openai", "gpt-4o", call(...)));     // exactly once; close() releases
 * }
 * }</pre>
 *
 * <p><b>Overshoot bounds.</b> Through reservations, a budget window's spend plus reservations never
 * exceeds its limit (see {@link BudgetStore} for the argument): with upper-bound estimates,
 * overshoot is zero. A window can go past its limit only by
 *
 * <ol>
 *   <li>settlements above their reservation: {@code Σ max(0, actual − reserved)} ({@link
 *       Stats#overrun()}; zero when estimates are upper bounds, as {@link CostEstimator}'s are);
 *   <li>spend recorded without a reservation ({@link BudgetScope#record}): its sum ({@link
 *       Stats#unreserved()});
 *   <li>work of unknown cost admitted by {@link UnknownCostPolicy#FAIL_OPEN} budgets: its actual cost;
 *   <li>GPU work past its leased slice ({@link Lease}): per lease, {@code rate × (stop − end of the last
 *       reserved slice)}, zero when the work stops at a step boundary within its slice (see {@link Lease}).
 * </ol>
 *
 * <p><b>Expiry.</b> Reservations left open past the TTL ({@link Builder#reservationTtl}, default 10
 * minutes, on the injected clock's wall time, which also drives windows and burn rates: each
 * reservation and settlement reads the clock once) are settled to their full amount by a sweep that runs within
 * reservations (every {@value #SWEEP_EVERY} reservations, and at least every TTL/8 of clock time when
 * there is traffic), within status reads, and on {@link #expireOverdue()}; there is no background
 * thread.
 *
 * <p><b>Windows</b> roll over on the injected clock, in each budget's time zone (see {@link Window}).
 * A {@link BudgetListener} gets NOTIFY, THROTTLED, LIMIT_REACHED, TERMINATE and expiry events, each
 * with the window's {@link BudgetStatus} (burn rate and projected exhaustion included). Notifications
 * are per process: two processes sharing a store each notify once.
 */
public final class BudgetManager {
  private static final Logger log = LoggerFactory.getLogger(BudgetManager.class);
  private static final Tags.Key[] KEYS = Tags.Key.values();

  /** A partial sweep of finished and overdue reservations runs every this many reservations. */
  public static final int SWEEP_EVERY = 1024;
  private static final int PARTIAL_SWEEP_VISITS = 2 * SWEEP_EVERY;

  private final Clock clock;
  private final Pricing pricing;
  private final BudgetStore store;
  private final Currency currency;
  private final long ttlMillis;
  private final long sweepIntervalMillis;
  private final List<BudgetListener> listeners;
  private final CostEstimator estimator;
  private final List<ConcurrentHashMap<String, BudgetState>> byKey = new ArrayList<>();
  private volatile int keyMask;
  private volatile long stamp;
  private final Cache<Tags, BudgetScope> scopes;
  /** The registered budgets in registration order (replaced whole under the manager's lock). */
  private volatile List<Budget> inOrder = List.of();
  private final OpenReservations open = new OpenReservations();
  private final AtomicLong ids = new AtomicLong();
  private final AtomicLong nextSweepMillis;
  private final CopyOnWriteArrayList<Registration> terminables = new CopyOnWriteArrayList<>();
  private final Counters counters = new Counters();
  private final Set<String> loggedOnce = ConcurrentHashMap.newKeySet();

  private BudgetManager(Builder b) {
    this.clock = b.clock != null ? b.clock : Clock.shared();
    this.pricing = b.pricing;
    this.store = b.store != null ? b.store : BudgetStore.inMemory();
    this.currency = b.currency;
    this.ttlMillis = Math.max(1, b.ttl.toMillis());
    this.sweepIntervalMillis = Math.max(1, ttlMillis / 8);
    this.listeners = List.copyOf(b.listeners);
    this.estimator = pricing == null ? null : new CostEstimator(pricing, clock);
    for (int i = 0; i < KEYS.length; i++) {
      byKey.add(new ConcurrentHashMap<>());
    }
    this.scopes = Caffeine.newBuilder().maximumSize(b.maxScopes).build();
    this.nextSweepMillis = new AtomicLong(clock.wallTimeMillis() + sweepIntervalMillis);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder with the clock and pricing of {@code finops}. */
  public static Builder builder(FinOps finops) {
    return new Builder().clock(finops.clock()).pricing(finops.pricing());
  }

  public Clock clock() {
    return clock;
  }

  public BudgetStore store() {
    return store;
  }

  /** The currency every budget and amount of this manager is in. */
  public Currency currency() {
    return currency;
  }

  /** How long a reservation may stay open before it expires. */
  public Duration reservationTtl() {
    return Duration.ofMillis(ttlMillis);
  }

  /**
   * Upper-bound estimates from this manager's pricing and clock.
   *
   * @throws IllegalStateException if the manager was built without {@link Builder#pricing(Pricing)}
   */
  public CostEstimator estimator() {
    if (estimator == null) {
      throw new IllegalStateException("this BudgetManager was built without pricing; call builder().pricing(...)");
    }
    return estimator;
  }

  // ---- registry ------------------------------------------------------------------------------

  /**
   * Registers a budget; work admitted from now on counts against it (spend before is not known to it).
   *
   * @throws IllegalArgumentException naming the field: a scope that already has a budget (give one
   *     budget several windows instead), a budget in another currency than the manager's
   */
  public synchronized BudgetManager add(Budget budget) {
    Objects.requireNonNull(budget, "budget");
    if (!budget.currency().equals(currency)) {
      throw new IllegalArgumentException("limit: budget " + budget.scope() + " is in " + budget.currency()
          + " but this manager counts in " + currency);
    }
    ConcurrentHashMap<String, BudgetState> m = byKey.get(budget.scopeKey().ordinal());
    if (m.containsKey(budget.scopeValue())) {
      throw new IllegalArgumentException("scope: a budget for " + budget.scope()
          + " is already registered; give one budget several windows instead");
    }
    m.put(budget.scopeValue(), new BudgetState(budget, store, clock.wallTimeMillis()));
    List<Budget> registered = new ArrayList<>(inOrder);
    registered.add(budget);
    inOrder = List.copyOf(registered);
    keyMask |= 1 << budget.scopeKey().ordinal();
    stamp++;
    return this;
  }

  /**
   * Removes the budget of {@code budget}'s scope; open reservations still settle against it.
   *
   * @return true if there was one
   */
  public synchronized boolean remove(Budget budget) {
    BudgetState removed = byKey.get(budget.scopeKey().ordinal()).remove(budget.scopeValue());
    if (removed != null) {
      List<Budget> registered = new ArrayList<>(inOrder);
      registered.remove(removed.budget);
      inOrder = List.copyOf(registered);
    }
    stamp++;
    return removed != null;
  }

  /** The registered budgets, by tag key then registration. */
  public List<Budget> budgets() {
    List<Budget> out = new ArrayList<>(inOrder);
    out.sort(Comparator.comparingInt(b -> b.scopeKey().ordinal())); // stable: registration order within a key
    return Collections.unmodifiableList(out);
  }

  long stamp() {
    return stamp;
  }

  /**
   * The bound handle of the budgets that apply to {@code tags} (cached per tag set, bounded); resolve
   * it once and reuse it on the hot path.
   */
  public BudgetScope scope(Tags tags) {
    Objects.requireNonNull(tags, "tags");
    BudgetScope s = scopes.getIfPresent(tags);
    return s != null ? s : scopes.get(tags, t -> new BudgetScope(this, t));
  }

  /** Shorthand for {@code scope(tags).reserve(estimate)}. */
  public Reservation reserve(Tags tags, Estimate estimate) {
    return scope(tags).reserve(estimate);
  }

  /** Shorthand for {@code scope(tags).record(priced)}: spend without a reservation. */
  public void record(Tags tags, PricedUsage priced) {
    scope(tags).record(priced);
  }

  Chain resolve(Tags tags, long nowMillis) {
    long s = stamp;
    int mask = keyMask;
    List<BudgetState> list = new ArrayList<>(4);
    for (Tags.Key k : KEYS) {
      if ((mask & (1 << k.ordinal())) != 0) {
        String v = tags.get(k);
        BudgetState b = v == null ? null : byKey.get(k.ordinal()).get(v);
        if (b != null) {
          list.add(b);
        }
      }
    }
    return Chain.of(s, list, nowMillis);
  }

  // ---- admission -----------------------------------------------------------------------------

  /**
   * Reserves {@code amount} (ignored when {@code unknownReason} is set) on the scope's chain. A refusal
   * throws a {@link BudgetException} when {@code throwing}, and otherwise answers {@code null}.
   */
  Reservation admit(BudgetScope scope, long amountPico, String unknownReason, long extraTtlMillis, boolean throwing) {
    long now = clock.wallTimeMillis();
    Chain c = scope.chain(now);
    boolean known = unknownReason == null;
    long amount = amountPico;
    if (c.isEmpty()) {
      return new Reservation(this, c, ids.incrementAndGet(), known ? amount : 0, now, Long.MAX_VALUE, 0, known);
    }
    if (!known) {
      if (c.failClosed != null) {
        counters.unknownRefused.increment();
        if (!throwing) {
          return null;
        }
        throw new CostUnknownException(c.failClosed.budget, unknownReason);
      }
      counters.unknownAdmitted.increment();
      amount = 0;
    }
    BudgetState throttledBy = acquirePermits(c, now);
    if (throttledBy != null) {
      if (!throwing) {
        return null;
      }
      throw new BudgetThrottledException(throttledBy.budget);
    }
    int refused = store.tryReserve(c.counters, amount, now);
    if (refused >= 0) {
      releasePermits(c);
      return refused(c.periods[refused], amount, now, throwing);
    }
    long delay = c.delays ? throttleDelay(c, now) : 0;
    long id = ids.incrementAndGet();
    Reservation r = new Reservation(this, c, id, amount, now, now + ttlMillis + extraTtlMillis, delay, known);
    open.add(r);
    housekeeping(id, now);
    return r;
  }

  /** Takes a permit of each concurrency-limited budget; the budget that refused, or null. */
  private BudgetState acquirePermits(Chain c, long now) {
    BudgetState[] limited = c.concurrencyLimited;
    for (int i = 0; i < limited.length; i++) {
      BudgetState b = limited[i];
      BudgetLine.Period throttledBy = concurrencyThrottled(c, b, now);
      for (;;) {
        int n = b.inFlight.get();
        if (throttledBy != null && n >= b.budget.maxConcurrent()) {
          for (int j = 0; j < i; j++) {
            limited[j].inFlight.decrementAndGet();
          }
          counters.throttled.increment();
          if (throttledBy.markOnce(BudgetLine.Period.THROTTLED)) {
            emit(BudgetEvent.Type.THROTTLED, null, throttledBy, now,
                "at most " + b.budget.maxConcurrent() + " reservations may be open at once; refused one more");
          }
          return b;
        }
        if (b.inFlight.compareAndSet(n, n + 1)) {
          break;
        }
      }
    }
    return null;
  }

  private BudgetLine.Period concurrencyThrottled(Chain c, BudgetState b, long now) {
    for (BudgetLine.Period p : c.periods) {
      if (p.line.owner == b && store.readUsed(p.counter, now) >= p.line.concurrencyTrigger) {
        return p;
      }
    }
    return null;
  }

  private static void releasePermits(Chain c) {
    for (BudgetState b : c.concurrencyLimited) {
      b.inFlight.decrementAndGet();
    }
  }

  private long throttleDelay(Chain c, long now) {
    long delay = 0;
    for (BudgetLine.Period p : c.periods) {
      long[] t = p.line.delayTriggers;
      if (t.length == 0) {
        continue;
      }
      long used = store.readUsed(p.counter, now);
      for (int i = t.length - 1; i >= 0; i--) {
        if (used >= t[i]) {
          Duration d = p.line.owner.budget.delays()[i];
          delay = Math.max(delay, d.toNanos());
          if (p.markOnce(BudgetLine.Period.THROTTLED)) {
            emit(BudgetEvent.Type.THROTTLED, Budget.fraction(p.line.owner.budget.delayBasisPoints()[i]), p, now,
                "spend plus reservations reached " + percent(p.line.owner.budget.delayBasisPoints()[i])
                    + " of the limit; admissions now wait " + d);
          }
          break;
        }
      }
    }
    return delay;
  }

  /** DENY: throws, or answers null; the status is read only for an exception or the period's first event. */
  private Reservation refused(BudgetLine.Period p, long amount, long now, boolean throwing) {
    counters.denied.increment();
    boolean first = p.markOnce(BudgetLine.Period.LIMIT_REACHED);
    if (!throwing && (!first || listeners.isEmpty())) {
      return null;
    }
    BudgetStatus st = status(p, now);
    Money requested = Pico.money(amount, currency);
    if (first) {
      emit(new BudgetEvent(BudgetEvent.Type.LIMIT_REACHED, null, st, describe(st)
          + ": limit reached; refused a reservation of " + requested));
    }
    if (!throwing) {
      return null;
    }
    throw new BudgetExceededException(st, requested);
  }

  // ---- settlement ----------------------------------------------------------------------------

  boolean settle(Reservation r, long actualPico) {
    if (!r.finish(Reservation.SETTLED)) {
      counters.lateFinishes.increment();
      return false;
    }
    Chain c = r.chain;
    if (!c.isEmpty()) {
      long now = clock.wallTimeMillis();
      store.commit(c.counters, r.amountPico, actualPico, r.reservedAtMillis, now);
      releasePermits(c);
      afterSpend(c, actualPico, now);
    }
    if (actualPico > r.amountPico) {
      counters.overrunPico.add(actualPico - r.amountPico);
    }
    counters.settled.increment();
    return true;
  }

  boolean settleUnpriced(Reservation r) {
    counters.unpricedSettlements.increment();
    return settle(r, r.amountPico);
  }

  boolean release(Reservation r) {
    if (!r.finish(Reservation.RELEASED)) {
      counters.lateFinishes.increment();
      return false;
    }
    Chain c = r.chain;
    if (!c.isEmpty()) {
      store.release(c.counters, r.amountPico, r.reservedAtMillis, clock.wallTimeMillis());
      releasePermits(c);
    }
    counters.released.increment();
    return true;
  }

  /** Settles an overdue reservation to its full amount; true if this call ended it. */
  private boolean expire(Reservation r) {
    if (!r.finish(Reservation.EXPIRED)) {
      return false;
    }
    Chain c = r.chain;
    long now = clock.wallTimeMillis();
    store.commit(c.counters, r.amountPico, r.amountPico, r.reservedAtMillis, now);
    releasePermits(c);
    counters.expired.increment();
    afterSpend(c, r.amountPico, now);
    if (!listeners.isEmpty()) {
      for (BudgetLine.Period p : c.periods) {
        emit(BudgetEvent.Type.RESERVATION_EXPIRED, null, p, now, "reservation #" + r.id() + " of "
            + r.amount() + " was still open after " + reservationTtl() + "; settled to its full amount");
      }
    }
    return true;
  }

  void recordUnreserved(BudgetScope scope, PricedUsage priced) {
    if (!priced.isPriced()) {
      recordProblem("unpriced", "usage of " + priced.requestedModel() + " for " + scope.tags()
          + " could not be priced and was not counted against budgets (" + priced.unpricedReason() + ")");
    } else if (!priced.currency().equals(currency)) {
      recordProblem("currency", "usage priced in " + priced.currency() + " for " + scope.tags()
          + " was not counted against budgets in " + currency);
    } else {
      recordPico(scope, priced.hasFixedPointTotal() ? priced.totalPico() : Pico.ceil(priced.total()));
    }
  }

  void recordUnreserved(BudgetScope scope, Money cost) {
    if (!cost.currency().equals(currency)) {
      recordProblem("currency", "a cost in " + cost.currency() + " for " + scope.tags()
          + " was not counted against budgets in " + currency);
    } else if (cost.signum() < 0) {
      recordProblem("negative", "a negative cost " + cost + " for " + scope.tags() + " was not counted");
    } else {
      recordPico(scope, Pico.ceil(cost));
    }
  }

  /** Spend without a reservation, in pico-units. */
  void recordPico(BudgetScope scope, long pico) {
    long now = clock.wallTimeMillis();
    Chain c = scope.chain(now);
    if (c.isEmpty() || pico == 0) {
      return;
    }
    store.record(c.counters, pico, now);
    counters.unreservedRecords.increment();
    counters.unreservedPico.add(pico);
    afterSpend(c, pico, now);
  }

  private void recordProblem(String kind, String message) {
    counters.recordProblems.increment();
    if (loggedOnce.add(kind)) {
      log.warn("finops budgets: {}. Further occurrences are counted, not logged.", message);
    }
  }

  /** Burn rates and the thresholds on settled spend, after {@code amount} was added to it. */
  private void afterSpend(Chain c, long amount, long now) {
    if (amount > 0) {
      for (BudgetState b : c.budgets) {
        b.rate.add(now, amount);
      }
    }
    for (BudgetLine.Period p : c.periods) {
      if (p.line.spentMask != 0) {
        checkSpent(p, now);
      }
    }
  }

  private void checkSpent(BudgetLine.Period p, long now) {
    BudgetLine l = p.line;
    int flags = p.flags.get();
    boolean rolling = l.window.isRolling();
    if ((!rolling && (flags & l.spentMask) == l.spentMask) || l.current() != p) {
      return; // all fired, or a past period
    }
    long spent = store.read(p.counter, now).spentPico();
    long[] t = l.notifyTriggers;
    for (int i = 0; i < t.length; i++) {
      crossing(p, 1 << i, spent >= t[i], rolling, flags, l.owner.budget.notifyBasisPoints()[i], now);
    }
    if (l.terminateTrigger != BudgetLine.NEVER) {
      crossing(p, BudgetLine.Period.TERMINATED, spent >= l.terminateTrigger, rolling, flags,
          l.owner.budget.terminateBasisPoints(), now);
    }
  }

  /** Fires the threshold of {@code bit} once when reached; a rolling window re-arms it below. */
  private void crossing(BudgetLine.Period p, int bit, boolean reached, boolean rolling, int flags, int basisPoints,
      long now) {
    if (reached) {
      if ((flags & bit) == 0 && p.markOnce(bit)) {
        if (bit == BudgetLine.Period.TERMINATED) {
          terminate(p, basisPoints, now);
        } else {
          emit(BudgetEvent.Type.THRESHOLD, Budget.fraction(basisPoints), p, now,
              "settled spend reached " + percent(basisPoints) + " of the limit");
        }
      }
    } else if (rolling && (flags & bit) != 0) {
      p.clear(bit);
    }
  }

  private void terminate(BudgetLine.Period p, int basisPoints, long now) {
    counters.terminations.increment();
    BudgetStatus st = status(p, now);
    String reason = describe(st) + ": settled spend reached " + percent(basisPoints)
        + " of the limit; running work in the scope is asked to stop";
    emit(new BudgetEvent(BudgetEvent.Type.TERMINATE, Budget.fraction(basisPoints), st, reason));
    stopWork(p.line.owner.budget, reason);
  }

  /** A lease in {@code scope} could not renew: a TERMINATE event for the budget that refused. */
  void leaseDenied(BudgetScope scope, BudgetException refusal) {
    counters.terminations.increment();
    long now = clock.wallTimeMillis();
    for (BudgetLine.Period p : scope.chain(now).periods) {
      boolean window = !(refusal instanceof BudgetExceededException)
          || p.line.window.equals(((BudgetExceededException) refusal).window());
      if (p.line.owner.budget == refusal.budget() && window) {
        emit(BudgetEvent.Type.TERMINATE, null, p, now, "a GPU lease for " + scope.tags()
            + " could not be renewed (" + refusal.getMessage() + "); its work is asked to stop");
        return;
      }
    }
  }

  private void stopWork(Budget budget, String reason) {
    for (Registration reg : terminables) {
      if (budget.appliesTo(reg.tags)) {
        try {
          reg.target.terminate(reason);
        } catch (RuntimeException e) {
          log.warn("finops budgets: a terminate callback for {} failed", reg.tags, e);
        }
      }
    }
  }

  // ---- expiry --------------------------------------------------------------------------------

  private void housekeeping(long id, long now) {
    if ((id & (SWEEP_EVERY - 1)) == 0) {
      sweep(now, false);
    }
    sweepIfDue(now);
  }

  private void sweepIfDue(long now) {
    long next = nextSweepMillis.get();
    if (now - next >= 0 && nextSweepMillis.compareAndSet(next, now + sweepIntervalMillis)) {
      sweep(now, true);
    }
  }

  /**
   * Expires every reservation still open past its deadline (settling each to its full amount) and drops
   * finished ones from the tracking queue. Runs by itself within reservations and status reads; call it
   * from a scheduler for prompt expiry without traffic.
   *
   * @return how many reservations this call expired
   */
  public int expireOverdue() {
    return sweep(clock.wallTimeMillis(), true);
  }

  /**
   * One sweeper at a time ({@link OpenReservations}). A full sweep visits every reservation admitted
   * before it started; a partial one the new ones and a bounded number of those still open from earlier
   * sweeps, so the structure holds about as many entries as there are open reservations.
   */
  private int sweep(long now, boolean full) {
    return open.sweep(now, full, PARTIAL_SWEEP_VISITS, this::expire);
  }


  // ---- status and events ---------------------------------------------------------------------

  /** The status of every window of every registered budget. */
  public List<BudgetStatus> statuses() {
    long now = clock.wallTimeMillis();
    sweepIfDue(now);
    List<BudgetStatus> out = new ArrayList<>();
    for (ConcurrentHashMap<String, BudgetState> m : byKey) {
      for (BudgetState b : m.values()) {
        for (BudgetLine l : b.lines) {
          out.add(status(l.periodAt(now), now));
        }
      }
    }
    return Collections.unmodifiableList(out);
  }

  /** The status of every window of every budget that applies to {@code tags}. */
  public List<BudgetStatus> statuses(Tags tags) {
    return scope(tags).statuses();
  }

  /** The status of each window of a registered budget (found by scope); empty if none is registered. */
  public List<BudgetStatus> status(Budget budget) {
    BudgetState b = byKey.get(budget.scopeKey().ordinal()).get(budget.scopeValue());
    if (b == null) {
      return List.of();
    }
    List<BudgetState> one = List.of(b);
    return statuses(Chain.of(stamp, one, clock.wallTimeMillis()));
  }

  List<BudgetStatus> statuses(Chain c) {
    long now = clock.wallTimeMillis();
    sweepIfDue(now);
    List<BudgetStatus> out = new ArrayList<>();
    for (BudgetState b : c.budgets) {
      for (BudgetLine l : b.lines) {
        out.add(status(l.periodAt(now), now));
      }
    }
    return Collections.unmodifiableList(out);
  }

  private BudgetStatus status(BudgetLine.Period p, long now) {
    return BudgetStatus.of(p, store.read(p.counter, now), p.line.owner.rate.perHour(now), now);
  }

  private void emit(BudgetEvent.Type type, BigDecimal threshold, BudgetLine.Period p, long now, String what) {
    if (!listeners.isEmpty()) {
      BudgetStatus st = status(p, now);
      emit(new BudgetEvent(type, threshold, st, describe(st) + ": " + what));
    }
  }

  private void emit(BudgetEvent event) {
    for (BudgetListener l : listeners) {
      try {
        l.onEvent(event);
      } catch (RuntimeException e) {
        log.warn("finops budgets: a listener failed on {}", event, e);
      }
    }
  }

  private static String describe(BudgetStatus st) {
    return "budget " + st.scope() + ", window " + st.window() + " (spent " + st.spent() + ", reserved "
        + st.reserved() + " of " + st.limit() + ")";
  }

  private static String percent(int basisPoints) {
    return Budget.fraction(basisPoints).movePointRight(2).stripTrailingZeros().toPlainString() + "%";
  }

  // ---- running work --------------------------------------------------------------------------

  /**
   * Registers running work under {@code tags}: a TERMINATE action of any budget that applies to them
   * calls {@code target}. Close the registration when the work ends.
   */
  public Registration onTerminate(Tags tags, Terminable target) {
    Registration r = new Registration(this, Objects.requireNonNull(tags, "tags"), Objects.requireNonNull(target, "target"));
    terminables.add(r);
    return r;
  }

  /**
   * Leases GPU time for open-ended work in {@code tags}: reserves {@code slice} at {@code ratePerHour}
   * now, and the next slice as each one runs out (see {@link Lease}); when a renewal is refused,
   * {@code onDenied} is called.
   *
   * @throws BudgetException if the first slice is refused
   */
  public Lease lease(Tags tags, Money ratePerHour, Duration slice, Terminable onDenied) {
    if (!ratePerHour.currency().equals(currency)) {
      throw new CurrencyMismatchException(currency, ratePerHour.currency());
    }
    return new Lease(this, scope(tags), Pico.ceil(ratePerHour), slice, onDenied);
  }

  /**
   * Guards a training run: leases its GPU time in slices at its hardware's rate, and registers it for
   * TERMINATE; a refused renewal or a TERMINATE action stops the run at its next step boundary, after
   * its checkpoint hook (see {@link RunGuard}).
   *
   * @throws BudgetException if the first slice is refused (the run should then be closed)
   */
  public RunGuard guard(TrainingRun run, Duration slice) {
    return RunGuard.start(this, run, slice);
  }

  /** A registration of running work for TERMINATE; close it when the work ends. */
  public static final class Registration implements AutoCloseable {
    private final BudgetManager manager;
    private final Tags tags;
    private final Terminable target;

    private Registration(BudgetManager manager, Tags tags, Terminable target) {
      this.manager = manager;
      this.tags = tags;
      this.target = target;
    }

    public Tags tags() {
      return tags;
    }

    @Override
    public void close() {
      manager.terminables.remove(this);
    }
  }

  // ---- stats ---------------------------------------------------------------------------------

  /** What the manager has done so far. */
  public Stats stats() {
    return new Stats(this);
  }

  private static final class Counters {
    final LongAdder denied = new LongAdder();
    final LongAdder throttled = new LongAdder();
    final LongAdder unknownRefused = new LongAdder();
    final LongAdder unknownAdmitted = new LongAdder();
    final LongAdder settled = new LongAdder();
    final LongAdder released = new LongAdder();
    final LongAdder expired = new LongAdder();
    final LongAdder lateFinishes = new LongAdder();
    final LongAdder unpricedSettlements = new LongAdder();
    final LongAdder overrunPico = new LongAdder();
    final LongAdder unreservedRecords = new LongAdder();
    final LongAdder unreservedPico = new LongAdder();
    final LongAdder recordProblems = new LongAdder();
    final LongAdder terminations = new LongAdder();
  }

  /** A snapshot of a manager's counts (each read separately, so not one instant under load). */
  public static final class Stats {
    private final long reservations;
    private final long denied;
    private final long throttled;
    private final long unknownRefused;
    private final long unknownAdmitted;
    private final long settled;
    private final long released;
    private final long expired;
    private final long lateFinishes;
    private final long unpricedSettlements;
    private final Money overrun;
    private final long unreservedRecords;
    private final Money unreserved;
    private final long recordProblems;
    private final long terminations;

    private Stats(BudgetManager m) {
      Counters c = m.counters;
      this.settled = c.settled.sum();
      this.released = c.released.sum();
      this.expired = c.expired.sum();
      this.reservations = m.ids.get();
      this.denied = c.denied.sum();
      this.throttled = c.throttled.sum();
      this.unknownRefused = c.unknownRefused.sum();
      this.unknownAdmitted = c.unknownAdmitted.sum();
      this.lateFinishes = c.lateFinishes.sum();
      this.unpricedSettlements = c.unpricedSettlements.sum();
      this.overrun = Pico.money(c.overrunPico.sum(), m.currency);
      this.unreservedRecords = c.unreservedRecords.sum();
      this.unreserved = Pico.money(c.unreservedPico.sum(), m.currency);
      this.recordProblems = c.recordProblems.sum();
      this.terminations = c.terminations.sum();
    }

    /** Reservations admitted. */
    public long reservations() {
      return reservations;
    }

    /** Reservations refused at a limit (DENY). */
    public long denied() {
      return denied;
    }

    /** Reservations refused by a concurrency throttle. */
    public long throttled() {
      return throttled;
    }

    /** Reservations refused because the cost was unknown and a budget was fail-closed. */
    public long unknownRefused() {
      return unknownRefused;
    }

    /** Work of unknown cost admitted by fail-open budgets, with nothing reserved. */
    public long unknownAdmitted() {
      return unknownAdmitted;
    }

    public long settled() {
      return settled;
    }

    public long released() {
      return released;
    }

    /** Reservations expired after their TTL and settled to their full amount. */
    public long expired() {
      return expired;
    }

    /** Reservations admitted and not yet settled, released or expired. */
    public long open() {
      return reservations - settled - released - expired;
    }

    /** Settle, release or close calls on a reservation that had already ended (refused, no effect). */
    public long lateFinishes() {
      return lateFinishes;
    }

    /** Settlements with usage the catalogs could not price (settled to the reserved amount). */
    public long unpricedSettlements() {
      return unpricedSettlements;
    }

    /** {@code Σ max(0, actual − reserved)} over settlements: spend beyond what was reserved. */
    public Money overrun() {
      return overrun;
    }

    /** Recordings of spend without a reservation. */
    public long unreservedRecords() {
      return unreservedRecords;
    }

    /** Their total. */
    public Money unreserved() {
      return unreserved;
    }

    /** Recordings that could not be counted (unpriced usage, another currency, a negative cost). */
    public long recordProblems() {
      return recordProblems;
    }

    /** TERMINATE actions taken (thresholds reached and leases refused). */
    public long terminations() {
      return terminations;
    }

    @Override
    public String toString() {
      return "Stats{reservations=" + reservations + ", denied=" + denied + ", throttled=" + throttled + ", settled="
          + settled + ", released=" + released + ", expired=" + expired + ", lateFinishes=" + lateFinishes
          + ", overrun=" + overrun + ", unreserved=" + unreserved + " in " + unreservedRecords + ", unknownAdmitted="
          + unknownAdmitted + ", unknownRefused=" + unknownRefused + ", terminations=" + terminations + "}";
    }
  }

  // ---- builder -------------------------------------------------------------------------------

  /** Configures a {@link BudgetManager}. Not thread-safe. */
  public static final class Builder {
    private Clock clock; // null: Clock.shared(), started at build()
    private Pricing pricing;
    private BudgetStore store;
    private Currency currency = Money.USD;
    private Duration ttl = Duration.ofMinutes(10);
    private final List<BudgetListener> listeners = new ArrayList<>();
    private int maxScopes = 10_000;

    private Builder() {}

    /**
     * The clock windows, TTLs and burn rates run on (default: {@link Clock#shared()}; {@code
     * builder(finops)} takes the FinOps clock). Each reservation and settlement reads its wall time
     * once.
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The pricing {@link #estimator()} estimates with (none by default). */
    public Builder pricing(Pricing pricing) {
      this.pricing = Objects.requireNonNull(pricing, "pricing");
      return this;
    }

    /** Where counters live (default: {@link BudgetStore#inMemory()}). */
    public Builder store(BudgetStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /** The currency of every budget (default USD). */
    public Builder currency(Currency currency) {
      this.currency = Objects.requireNonNull(currency, "currency");
      return this;
    }

    /**
     * How long a reservation may stay open before it expires and is settled to its full amount (default
     * 10 minutes; a GPU lease's slices get their slice length on top).
     */
    public Builder reservationTtl(Duration ttl) {
      Objects.requireNonNull(ttl, "reservationTtl");
      if (ttl.isNegative() || ttl.isZero()) {
        throw new IllegalArgumentException("reservationTtl must be positive, got " + ttl);
      }
      this.ttl = ttl;
      return this;
    }

    /** Adds a listener for {@link BudgetEvent}s. */
    public Builder listener(BudgetListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** How many tag sets' resolved scopes are cached (default 10,000). */
    public Builder maxScopes(int maxScopes) {
      if (maxScopes < 1) {
        throw new IllegalArgumentException("maxScopes must be positive, got " + maxScopes);
      }
      this.maxScopes = maxScopes;
      return this;
    }

    public BudgetManager build() {
      return new BudgetManager(this);
    }
  }
}

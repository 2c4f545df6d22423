package dev.finops.core.budget;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.finops.core.Clock;
import dev.finops.core.FinOps;
import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.pricing.PricedUsage;
import dev.finops.core.pricing.Pricing;
import dev.finops.core.training.TrainingRun;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Currency;
import java.util.List;
import java.util.Objects;

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
 *
 * <p>This class is the facade of package-private parts with one responsibility each: the {@code
 * BudgetRegistry} (budgets by tag key, then registration), {@code Admission} (permits, reservation,
 * throttling, refusals), {@code Settlement} (settle, release, expire, record, thresholds), the {@code
 * Sweeper} (expiry), {@code BudgetEvents} (statuses, listeners, TERMINATE callbacks), {@code Leases} and
 * {@code BudgetCounters} (what {@link #stats()} reads).
 */
public final class BudgetManager {

  /** A partial sweep of finished and overdue reservations runs every this many reservations. */
  public static final int SWEEP_EVERY = 1024;

  // The parts, each with one responsibility; the hot paths reach them through these final fields.
  private final Clock clock;
  private final BudgetStore store;
  private final Currency currency;
  private final long ttlMillis;
  private final CostEstimator estimator;
  private final Cache<Tags, BudgetScope> scopes;
  private final BudgetRegistry registry;
  private final BudgetCounters counters = new BudgetCounters();
  private final BudgetEvents events;
  private final Settlement settlement;
  private final Sweeper sweeper;
  private final Admission admission;
  private final Leases leases;

  private BudgetManager(Builder b) {
    this.clock = b.clock != null ? b.clock : Clock.shared();
    this.store = b.store != null ? b.store : BudgetStore.inMemory();
    this.currency = b.currency;
    this.ttlMillis = Math.max(1, b.ttl.toMillis());
    this.estimator = b.pricing == null ? null : new CostEstimator(b.pricing, clock);
    this.scopes = Caffeine.newBuilder().maximumSize(b.maxScopes).build();
    this.registry = new BudgetRegistry(store, clock, currency);
    this.events = new BudgetEvents(store, b.listeners, counters);
    this.settlement = new Settlement(clock, store, currency, Duration.ofMillis(ttlMillis), counters, events);
    this.sweeper = new Sweeper(ttlMillis, clock.wallTimeMillis(), settlement::expire);
    this.admission = new Admission(this, clock, store, currency, ttlMillis, counters, events, sweeper);
    this.leases = new Leases(this, clock, currency, counters, events);
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
  public BudgetManager add(Budget budget) {
    registry.add(budget);
    return this;
  }

  /**
   * Removes the budget of {@code budget}'s scope; open reservations still settle against it.
   *
   * @return true if there was one
   */
  public boolean remove(Budget budget) {
    return registry.remove(budget);
  }

  /** The registered budgets, by tag key then registration. */
  public List<Budget> budgets() {
    return registry.budgets();
  }

  long stamp() {
    return registry.stamp();
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
    return registry.resolve(tags, nowMillis);
  }

  // ---- admission and settlement (the parts) --------------------------------------------------

  Reservation admit(BudgetScope scope, long amountPico, String unknownReason, long extraTtlMillis, boolean throwing) {
    return admission.admit(scope, amountPico, unknownReason, extraTtlMillis, throwing);
  }

  boolean settle(Reservation r, long actualPico) {
    return settlement.settle(r, actualPico);
  }

  boolean settleUnpriced(Reservation r) {
    return settlement.settleUnpriced(r);
  }

  boolean release(Reservation r) {
    return settlement.release(r);
  }

  void recordUnreserved(BudgetScope scope, PricedUsage priced) {
    settlement.recordUnreserved(scope, priced);
  }

  void recordUnreserved(BudgetScope scope, Money cost) {
    settlement.recordUnreserved(scope, cost);
  }

  void recordPico(BudgetScope scope, long pico) {
    settlement.recordPico(scope, pico);
  }

  void leaseDenied(BudgetScope scope, BudgetException refusal) {
    leases.denied(scope, refusal);
  }

  // ---- expiry --------------------------------------------------------------------------------

  /**
   * Expires every reservation still open past its deadline (settling each to its full amount) and drops
   * finished ones from the tracking queue. Runs by itself within reservations and status reads; call it
   * from a scheduler for prompt expiry without traffic.
   *
   * @return how many reservations this call expired
   */
  public int expireOverdue() {
    return sweeper.sweep(clock.wallTimeMillis(), true);
  }

  // ---- status --------------------------------------------------------------------------------

  /** The status of every window of every registered budget. */
  public List<BudgetStatus> statuses() {
    long now = clock.wallTimeMillis();
    sweeper.sweepIfDue(now);
    List<BudgetStatus> out = new ArrayList<>();
    for (BudgetState b : registry.states()) {
      for (BudgetLine l : b.lines) {
        out.add(events.status(l.periodAt(now), now));
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
    BudgetState b = registry.find(budget);
    if (b == null) {
      return List.of();
    }
    return statuses(Chain.of(registry.stamp(), List.of(b), clock.wallTimeMillis()));
  }

  List<BudgetStatus> statuses(Chain c) {
    long now = clock.wallTimeMillis();
    sweeper.sweepIfDue(now);
    List<BudgetStatus> out = new ArrayList<>();
    for (BudgetState b : c.budgets) {
      for (BudgetLine l : b.lines) {
        out.add(events.status(l.periodAt(now), now));
      }
    }
    return Collections.unmodifiableList(out);
  }

  // ---- running work --------------------------------------------------------------------------

  /**
   * Registers running work under {@code tags}: a TERMINATE action of any budget that applies to them
   * calls {@code target}. Close the registration when the work ends.
   */
  public Registration onTerminate(Tags tags, Terminable target) {
    Registration r = new Registration(events.terminables, Objects.requireNonNull(tags, "tags"),
        Objects.requireNonNull(target, "target"));
    events.terminables.add(r);
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
    return leases.lease(tags, ratePerHour, slice, onDenied);
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
    private final List<Registration> registered;
    private final Tags tags;
    private final Terminable target;

    private Registration(List<Registration> registered, Tags tags, Terminable target) {
      this.registered = registered;
      this.tags = tags;
      this.target = target;
    }

    public Tags tags() {
      return tags;
    }

    Terminable target() {
      return target;
    }

    @Override
    public void close() {
      registered.remove(this);
    }
  }

  // ---- stats ---------------------------------------------------------------------------------

  /** What the manager has done so far. */
  public Stats stats() {
    return new Stats(counters, admission.admitted(), currency);
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

    private Stats(BudgetCounters c, long reservations, Currency currency) {
      this.settled = c.settled.sum();
      this.released = c.released.sum();
      this.expired = c.expired.sum();
      this.reservations = reservations;
      this.denied = c.denied.sum();
      this.throttled = c.throttled.sum();
      this.unknownRefused = c.unknownRefused.sum();
      this.unknownAdmitted = c.unknownAdmitted.sum();
      this.lateFinishes = c.lateFinishes.sum();
      this.unpricedSettlements = c.unpricedSettlements.sum();
      this.overrun = Pico.money(c.overrunPico.get(), currency);
      this.unreservedRecords = c.unreservedRecords.sum();
      this.unreserved = Pico.money(c.unreservedPico.get(), currency);
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

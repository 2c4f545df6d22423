package dev.finops.core.budget;

import dev.finops.core.Money;
import dev.finops.core.Tags;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A spending limit on one tag scope ({@code team=nlp}, {@code experiment=lr-sweep}, ...), over one or
 * more {@link Window windows}, with the actions taken as spending approaches it. Immutable; register
 * it with {@link BudgetManager#add(Budget)}.
 *
 * <pre>{@code
 * Budget nlp = Budget.forTeam("nlp")
 *     .limit(Money.usd("500")).daily(ZoneId.of("Europe/Paris"))        // 500 a day, Paris time
 *     .monthly(ZoneId.of("Europe/Paris"), Money.usd("8000"))           // and 8,000 a month
 *     .notifyAt("0.5", "0.8", "0.9")                                   // listener events, once per period
 *     .throttleAt("0.9", Duration.ofMillis(250))                       // admissions answer with a delay
 *     .terminateAt("1")                                                // stop running work at the limit
 *     .build();
 * }</pre>
 *
 * <p><b>Scope.</b> Work with tags {@code T} counts against every budget whose scope {@code key=value}
 * is in {@code T}: a run tagged {@code org=acme, team=nlp, experiment=lr-sweep, run=r7} counts against
 * the budgets of all four scopes at once, and is admitted only if all of them have room.
 *
 * <p><b>Limits</b> are exact {@link Money}, positive, with at most 12 decimal places (budgets count in
 * pico-units held in longs, so a limit is at most 9,223,372.036854775807 currency units).
 *
 * <p><b>Actions</b> (fractions of each window's limit, given as decimal strings, {@link BigDecimal}s or
 * basis points, at most 4 decimal places, in (0, 1]):
 *
 * <ul>
 *   <li><b>NOTIFY</b> ({@link Builder#notifyAt(String...)}): a {@link BudgetEvent.Type#THRESHOLD} event
 *       when the window's settled spend reaches the fraction; once per calendar period (once ever for
 *       lifetime windows; a rolling window re-arms when its spend falls back below the fraction).
 *   <li><b>THROTTLE</b> ({@link Builder#throttleAt(String, Duration)}, {@link
 *       Builder#throttleConcurrencyAt(String, int)}): when spend plus reservations has reached the
 *       fraction, an admitted {@link Reservation} carries a {@link Reservation#throttleDelay() delay} to
 *       wait before starting the work, and at most {@code maxConcurrent} reservations may be open on
 *       the budget (beyond that, {@link BudgetThrottledException}).
 *   <li><b>DENY</b>: always at the limit; a reservation that would take spend plus reservations past
 *       it is refused with {@link BudgetExceededException}.
 *   <li><b>TERMINATE</b> ({@link Builder#terminateAt(String)}): when settled spend reaches the
 *       fraction, the running work registered under the scope ({@link BudgetManager#onTerminate}, a
 *       {@link dev.finops.core.training.TrainingRun} guarded by {@link RunGuard}) is asked to stop.
 * </ul>
 *
 * <p>Work whose cost cannot be estimated follows the budget's {@link UnknownCostPolicy} (default
 * {@link UnknownCostPolicy#FAIL_CLOSED}).
 */
public final class Budget {

  /** The most notification thresholds one budget may have. */
  public static final int MAX_NOTIFY_THRESHOLDS = 16;

  private final Tags.Key scopeKey;
  private final String scopeValue;
  private final Map<Window, Money> limits;
  private final int[] notifyBp;
  private final int[] delayBp;
  private final Duration[] delays;
  private final int concurrencyBp;
  private final int maxConcurrent;
  private final int terminateBp;
  private final UnknownCostPolicy unknownCost;
  private final Currency currency;

  private Budget(Builder b, Map<Window, Money> limits, Currency currency) {
    this.scopeKey = b.scopeKey;
    this.scopeValue = b.scopeValue;
    this.limits = Collections.unmodifiableMap(limits);
    this.notifyBp = b.notifyBp.clone();
    List<Integer> levels = new ArrayList<>(b.delays.keySet());
    Collections.sort(levels);
    this.delayBp = new int[levels.size()];
    this.delays = new Duration[levels.size()];
    for (int i = 0; i < levels.size(); i++) {
      delayBp[i] = levels.get(i);
      delays[i] = b.delays.get(levels.get(i));
    }
    this.concurrencyBp = b.concurrencyBp;
    this.maxConcurrent = b.maxConcurrent;
    this.terminateBp = b.terminateBp;
    this.unknownCost = b.unknownCost;
    this.currency = currency;
  }

  /** A budget on {@code org=<org>}. */
  public static Builder forOrg(String org) {
    return new Builder(Tags.Key.ORG, org);
  }

  /** A budget on {@code team=<team>}. */
  public static Builder forTeam(String team) {
    return new Builder(Tags.Key.TEAM, team);
  }

  /** A budget on {@code project=<project>}. */
  public static Builder forProject(String project) {
    return new Builder(Tags.Key.PROJECT, project);
  }

  /** A budget on {@code experiment=<experiment>}. */
  public static Builder forExperiment(String experiment) {
    return new Builder(Tags.Key.EXPERIMENT, experiment);
  }

  /** A budget on {@code run=<run>}. */
  public static Builder forRun(String run) {
    return new Builder(Tags.Key.RUN, run);
  }

  /** A budget on {@code model=<model>}. */
  public static Builder forModel(String model) {
    return new Builder(Tags.Key.MODEL, model);
  }

  /** A budget on {@code endpoint=<endpoint>}. */
  public static Builder forEndpoint(String endpoint) {
    return new Builder(Tags.Key.ENDPOINT, endpoint);
  }

  /** A budget on {@code customer=<customer>}. */
  public static Builder forCustomer(String customer) {
    return new Builder(Tags.Key.CUSTOMER, customer);
  }

  /**
   * A budget on a scope named by its tag key ({@code "team"}, {@code "experiment"}, ...).
   *
   * @throws IllegalArgumentException naming the field if the key is not one of the standard tag keys
   */
  public static Builder forScope(String tagKey, String value) {
    Tags.Key key = tagKey == null ? null : Tags.Key.byName(tagKey);
    if (key == null) {
      throw new IllegalArgumentException("scope: unknown tag key '" + tagKey
          + "'; a budget scope is one of org, team, project, experiment, run, model, endpoint, customer");
    }
    return new Builder(key, value);
  }

  /** The tag key of the scope. */
  public Tags.Key scopeKey() {
    return scopeKey;
  }

  /** The tag value of the scope. */
  public String scopeValue() {
    return scopeValue;
  }

  /** {@code team=nlp}. */
  public String scope() {
    return scopeKey.tagName() + "=" + scopeValue;
  }

  /** True if work with {@code tags} counts against this budget. */
  public boolean appliesTo(Tags tags) {
    return scopeValue.equals(tags.get(scopeKey));
  }

  /** The windows and their limits, in the order they were defined. */
  public Map<Window, Money> limits() {
    return limits;
  }

  /** The limit of a window of this budget, or {@code null}. */
  public Money limit(Window window) {
    return limits.get(window);
  }

  public Currency currency() {
    return currency;
  }

  /** NOTIFY thresholds as fractions of the limit, ascending. */
  public List<BigDecimal> notifyThresholds() {
    List<BigDecimal> out = new ArrayList<>();
    for (int bp : notifyBp) {
      out.add(fraction(bp));
    }
    return Collections.unmodifiableList(out);
  }

  /** THROTTLE-by-delay levels: fraction of the limit to delay, ascending. */
  public Map<BigDecimal, Duration> throttleDelays() {
    Map<BigDecimal, Duration> m = new LinkedHashMap<>();
    for (int i = 0; i < delayBp.length; i++) {
      m.put(fraction(delayBp[i]), delays[i]);
    }
    return Collections.unmodifiableMap(m);
  }

  /** The fraction from which concurrency is limited, or {@code null}. */
  public BigDecimal throttleConcurrencyThreshold() {
    return maxConcurrent == 0 ? null : fraction(concurrencyBp);
  }

  /** Reservations that may be open at once past {@link #throttleConcurrencyThreshold()}; 0 if none. */
  public int maxConcurrent() {
    return maxConcurrent;
  }

  /** The TERMINATE fraction, or {@code null}. */
  public BigDecimal terminateThreshold() {
    return terminateBp == 0 ? null : fraction(terminateBp);
  }

  public UnknownCostPolicy unknownCostPolicy() {
    return unknownCost;
  }

  int[] notifyBasisPoints() {
    return notifyBp;
  }

  int[] delayBasisPoints() {
    return delayBp;
  }

  Duration[] delays() {
    return delays;
  }

  int concurrencyBasisPoints() {
    return concurrencyBp;
  }

  int terminateBasisPoints() {
    return terminateBp;
  }

  static BigDecimal fraction(int basisPoints) {
    return BigDecimal.valueOf(basisPoints, 4).stripTrailingZeros();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Budget{").append(scope());
    limits.forEach((w, l) -> sb.append(", ").append(w).append(' ').append(l));
    return sb.append('}').toString();
  }

  /** Configures a {@link Budget}. Not thread-safe. */
  public static final class Builder {
    private final Tags.Key scopeKey;
    private final String scopeValue;
    private Money defaultLimit;
    private final List<Window> windows = new ArrayList<>();
    private final List<Money> windowLimits = new ArrayList<>();
    private int[] notifyBp = new int[0];
    private final Map<Integer, Duration> delays = new LinkedHashMap<>();
    private int concurrencyBp;
    private int maxConcurrent;
    private int terminateBp;
    private UnknownCostPolicy unknownCost = UnknownCostPolicy.FAIL_CLOSED;

    private Builder(Tags.Key key, String value) {
      if (value == null) {
        throw new IllegalArgumentException("scope: the value of '" + key.tagName() + "' must not be null");
      }
      Tags.builder().set(key, value); // the same value rules as tags, with the same messages
      this.scopeKey = key;
      this.scopeValue = value;
    }

    /**
     * The limit of the windows added without one of their own; with no window at all, the limit of a
     * {@link Window#lifetime() lifetime} window.
     */
    public Builder limit(Money limit) {
      this.defaultLimit = Objects.requireNonNull(limit, "limit");
      return this;
    }

    /** Adds a window with the {@link #limit(Money) default limit}. */
    public Builder window(Window window) {
      return window(window, null);
    }

    /** Adds a window with its own limit. */
    public Builder window(Window window, Money limit) {
      windows.add(Objects.requireNonNull(window, "window"));
      windowLimits.add(limit);
      return this;
    }

    /** Adds the lifetime window with the default limit. */
    public Builder lifetime() {
      return window(Window.lifetime());
    }

    public Builder daily(ZoneId zone) {
      return window(Window.daily(zone));
    }

    public Builder daily(ZoneId zone, Money limit) {
      return window(Window.daily(zone), limit);
    }

    /** Calendar weeks starting Monday in {@code zone}. */
    public Builder weekly(ZoneId zone) {
      return window(Window.weekly(zone));
    }

    public Builder weekly(ZoneId zone, Money limit) {
      return window(Window.weekly(zone), limit);
    }

    public Builder monthly(ZoneId zone) {
      return window(Window.monthly(zone));
    }

    public Builder monthly(ZoneId zone, Money limit) {
      return window(Window.monthly(zone), limit);
    }

    /** The trailing {@code length} (the last 24 hours, say). */
    public Builder rolling(Duration length) {
      return window(Window.rolling(length));
    }

    public Builder rolling(Duration length, Money limit) {
      return window(Window.rolling(length), limit);
    }

    /** NOTIFY thresholds as decimal fractions of the limit: {@code notifyAt("0.5", "0.8", "0.9")}. */
    public Builder notifyAt(String... fractions) {
      BigDecimal[] parsed = new BigDecimal[fractions.length];
      for (int i = 0; i < fractions.length; i++) {
        parsed[i] = Pico.fraction(fractions[i], "notifyAt");
      }
      return notifyAt(parsed);
    }

    /** NOTIFY thresholds as fractions of the limit. */
    public Builder notifyAt(BigDecimal... fractions) {
      int[] bp = new int[fractions.length];
      for (int i = 0; i < fractions.length; i++) {
        bp[i] = Pico.basisPoints(fractions[i], "notifyAt");
      }
      return notifyAtBasisPoints(bp);
    }

    /** NOTIFY thresholds in basis points of the limit (5000 = 50%); replaces earlier ones. */
    public Builder notifyAtBasisPoints(int... basisPoints) {
      if (basisPoints.length > MAX_NOTIFY_THRESHOLDS) {
        throw new IllegalArgumentException("notifyAt: at most " + MAX_NOTIFY_THRESHOLDS + " thresholds, got "
            + basisPoints.length);
      }
      int[] sorted = basisPoints.clone();
      Arrays.sort(sorted);
      for (int i = 0; i < sorted.length; i++) {
        checkBasisPoints(sorted[i], "notifyAt");
        if (i > 0 && sorted[i] == sorted[i - 1]) {
          throw new IllegalArgumentException("notifyAt: threshold " + fraction(sorted[i]).toPlainString()
              + " is given twice");
        }
      }
      this.notifyBp = sorted;
      return this;
    }

    /**
     * THROTTLE by delay: once spend plus reservations reaches {@code fraction} of a window's limit,
     * admitted reservations carry {@code delay} (the largest of the levels reached).
     */
    public Builder throttleAt(String fraction, Duration delay) {
      return throttleAt(Pico.fraction(fraction, "throttleAt"), delay);
    }

    /** As {@link #throttleAt(String, Duration)}. */
    public Builder throttleAt(BigDecimal fraction, Duration delay) {
      int bp = Pico.basisPoints(fraction, "throttleAt");
      Objects.requireNonNull(delay, "delay");
      if (delay.isNegative() || delay.isZero()) {
        throw new IllegalArgumentException("throttleAt: delay must be positive, got " + delay);
      }
      if (delays.containsKey(bp)) {
        throw new IllegalArgumentException("throttleAt: threshold " + fraction.toPlainString() + " is given twice");
      }
      delays.put(bp, delay);
      return this;
    }

    /**
     * THROTTLE by concurrency: once spend plus reservations reaches {@code fraction} of a window's
     * limit, at most {@code maxConcurrent} reservations may be open on this budget at once; more are
     * refused with {@link BudgetThrottledException} until some finish.
     */
    public Builder throttleConcurrencyAt(String fraction, int maxConcurrent) {
      int bp = Pico.basisPoints(Pico.fraction(fraction, "throttleConcurrencyAt"), "throttleConcurrencyAt");
      if (maxConcurrent < 1) {
        throw new IllegalArgumentException("throttleConcurrencyAt: maxConcurrent must be at least 1, got "
            + maxConcurrent);
      }
      this.concurrencyBp = bp;
      this.maxConcurrent = maxConcurrent;
      return this;
    }

    /** TERMINATE running work in the scope once settled spend reaches {@code fraction} of a limit. */
    public Builder terminateAt(String fraction) {
      return terminateAt(Pico.fraction(fraction, "terminateAt"));
    }

    public Builder terminateAt(BigDecimal fraction) {
      this.terminateBp = Pico.basisPoints(fraction, "terminateAt");
      return this;
    }

    public Builder unknownCost(UnknownCostPolicy policy) {
      this.unknownCost = Objects.requireNonNull(policy, "unknownCost");
      return this;
    }

    /** {@link UnknownCostPolicy#FAIL_OPEN}. */
    public Builder failOpen() {
      return unknownCost(UnknownCostPolicy.FAIL_OPEN);
    }

    /** {@link UnknownCostPolicy#FAIL_CLOSED} (the default). */
    public Builder failClosed() {
      return unknownCost(UnknownCostPolicy.FAIL_CLOSED);
    }

    private static void checkBasisPoints(int bp, String field) {
      if (bp < 1 || bp > 10_000) {
        throw new IllegalArgumentException(field + ": threshold " + bp
            + " basis points is out of range; give 1 to 10000 (0.01% to 100% of the limit)");
      }
    }

    /**
     * Builds the budget.
     *
     * @throws IllegalArgumentException naming the field: a window defined twice, a window with no
     *     limit, a limit that is not positive, not exact to the pico or too large, limits in different
     *     currencies
     */
    public Budget build() {
      String scope = scopeKey.tagName() + "=" + scopeValue;
      List<Window> ws = new ArrayList<>(windows);
      List<Money> ls = new ArrayList<>(windowLimits);
      if (ws.isEmpty()) {
        ws.add(Window.lifetime());
        ls.add(null);
      }
      Map<Window, Money> limits = new LinkedHashMap<>();
      Currency currency = null;
      for (int i = 0; i < ws.size(); i++) {
        Window w = ws.get(i);
        Money limit = ls.get(i) != null ? ls.get(i) : defaultLimit;
        if (limit == null) {
          throw new IllegalArgumentException("limit: budget " + scope + " has no limit for window " + w
              + "; call limit(Money) or give the window its own");
        }
        if (limits.containsKey(w)) {
          throw new IllegalArgumentException("window: budget " + scope + " defines window " + w + " twice");
        }
        Pico.ofLimit(limit, "limit of budget " + scope + " window " + w);
        if (currency != null && !currency.equals(limit.currency())) {
          throw new IllegalArgumentException("limit: budget " + scope + " mixes currencies " + currency + " and "
              + limit.currency());
        }
        currency = limit.currency();
        limits.put(w, limit);
      }
      return new Budget(this, limits, currency);
    }
  }
}

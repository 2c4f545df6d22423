package dev.finops.core.ledger;

import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.UsageBucket;
import dev.finops.core.internal.Decimals;
import dev.finops.core.pricing.PriceKey;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What the ledger held when the snapshot was taken: one entry per (account, price key, time slot)
 * with its quantities and record count. Costs are derived here, exactly, from the quantities and the
 * entry's price key; {@link #reprice} swaps the keys for a what-if ("these requests on a cheaper
 * model", "this run on spot"). Immutable and thread-safe.
 */
public final class LedgerSnapshot {

  /** Quantities of one account at one price key in one time slot. */
  public static final class Entry {
    private final Tags tags;
    private final PriceKey key;
    private final long start;
    private final long end;
    private final long[] quantities; // exact where wide[i] is null
    private final BigInteger[] wide; // null, or the exact quantity of each bucket past 64 bits
    private final long records;
    private final java.math.BigDecimal supplied;

    Entry(Tags tags, PriceKey key, long start, long end, WideSums sums, java.math.BigDecimal supplied) {
      this.tags = tags;
      this.key = key;
      this.start = start;
      this.end = end;
      long[] q = new long[UsageBucket.COUNT];
      BigInteger[] w = null;
      for (int i = 0; i < q.length; i++) {
        if (sums.fitsLong(i)) {
          q[i] = sums.get(i);
        } else {
          w = w == null ? new BigInteger[q.length] : w;
          w[i] = sums.exact(i);
        }
      }
      this.quantities = q;
      this.wide = w;
      // a record count past 2^63 calls cannot happen; saturate rather than wrap all the same
      this.records = sums.fitsLong(StripedCounters.RECORDS) ? sums.get(StripedCounters.RECORDS) : Long.MAX_VALUE;
      this.supplied = supplied;
    }

    private Entry(Entry e, PriceKey key, java.math.BigDecimal supplied) {
      this.tags = e.tags;
      this.key = key;
      this.start = e.start;
      this.end = e.end;
      this.quantities = e.quantities;
      this.wide = e.wide;
      this.records = e.records;
      this.supplied = supplied;
    }

    public Tags tags() {
      return tags;
    }

    public PriceKey key() {
      return key;
    }

    /** Start of the time slot, epoch ms ({@code Long.MIN_VALUE} for the slot of all old data). */
    public long startMillis() {
      return start;
    }

    /** End of the time slot (exclusive), epoch ms. */
    public long endMillis() {
      return end;
    }

    /**
     * The quantity of a bucket.
     *
     * @throws ArithmeticException if it passed 64 bits (the ledger keeps it exactly: {@link
     *     #quantityExact})
     */
    public long quantity(UsageBucket b) {
      if (wide != null && wide[b.ordinal()] != null) {
        throw past64Bits(b, wide[b.ordinal()]);
      }
      return quantities[b.ordinal()];
    }

    /** The quantity of a bucket, exactly, also past 64 bits. */
    public BigInteger quantityExact(UsageBucket b) {
      return wide != null && wide[b.ordinal()] != null ? wide[b.ordinal()] : BigInteger.valueOf(quantities[b.ordinal()]);
    }

    /** True when some quantity passed 64 bits ({@link #quantities()} then throws). */
    public boolean isWide() {
      return wide != null;
    }

    /** Number of record calls (requests, steps, GPU-time slices). */
    public long records() {
      return records;
    }

    /**
     * A copy of the quantities, indexed by bucket ordinal.
     *
     * @throws ArithmeticException if one passed 64 bits (see {@link #quantityExact})
     */
    public long[] quantities() {
      if (wide != null) {
        for (UsageBucket b : UsageBucket.values()) {
          quantity(b);
        }
      }
      return quantities.clone();
    }

    /** This entry with another price key (for re-pricing). */
    public Entry withKey(PriceKey other) {
      return new Entry(this, other,
          other.kind() == PriceKey.Kind.CALLER_SUPPLIED ? supplied : java.math.BigDecimal.ZERO);
    }

    /**
     * This entry (same tags and time slot) with other usage: {@code quantities} (by bucket ordinal) and
     * {@code records} priced by {@code other}. For what-ifs that change quantities ({@link WhatIf}).
     *
     * @throws IllegalArgumentException if a quantity or the record count is negative, the array does not
     *     hold one quantity per bucket, or either key is caller-supplied (its cost is not derived from
     *     quantities)
     */
    public Entry withUsage(PriceKey other, long[] quantities, long records) {
      Objects.requireNonNull(other, "key");
      if (other.kind() == PriceKey.Kind.CALLER_SUPPLIED || key.kind() == PriceKey.Kind.CALLER_SUPPLIED) {
        throw new IllegalArgumentException("quantities of a caller-supplied cost cannot be changed: " + this);
      }
      if (quantities.length != UsageBucket.COUNT) {
        throw new IllegalArgumentException("quantities: need " + UsageBucket.COUNT + " buckets, got "
            + quantities.length);
      }
      for (int i = 0; i < quantities.length; i++) {
        if (quantities[i] < 0) {
          throw new IllegalArgumentException("quantities: " + UsageBucket.ofOrdinal(i) + " is negative ("
              + quantities[i] + ") in " + this);
        }
      }
      if (records < 0) {
        throw new IllegalArgumentException("records: negative (" + records + ") in " + this);
      }
      WideSums sums = new WideSums(StripedCounters.width());
      for (int i = 0; i < quantities.length; i++) {
        sums.add(i, quantities[i]);
      }
      sums.add(StripedCounters.RECORDS, records);
      return new Entry(tags, other, start, end, sums, java.math.BigDecimal.ZERO);
    }

    /**
     * The exact cost of the priced buckets; the supplied cost for caller-supplied keys; zero for
     * unpriced keys.
     */
    public Money cost() {
      if (key.kind() == PriceKey.Kind.CALLER_SUPPLIED) {
        return Money.of(supplied, key.currency());
      }
      Money sum = Money.zero(key.currency());
      if (key.rates() == null) {
        return sum;
      }
      for (int i = 0; i < quantities.length; i++) {
        UsageBucket b = UsageBucket.ofOrdinal(i);
        if (wide != null && wide[i] != null) {
          java.math.BigDecimal price = key.rates().price(i);
          if (price != null) {
            sum = sum.plus(Money.ofFraction(price.multiply(new java.math.BigDecimal(wide[i])),
                b.unit().basePerPricingUnit(), key.currency()));
          }
        } else if (quantities[i] != 0) {
          Money c = key.cost(b, quantities[i]); // exact also for a GPU rate that does not terminate
          if (c != null) {
            sum = sum.plus(c);
          }
        }
      }
      return sum;
    }

    /** True when the bucket with this ordinal holds a quantity no price covers (all of an unpriced key). */
    boolean isUnpriced(int i) {
      return key.kind() != PriceKey.Kind.CALLER_SUPPLIED && (quantities[i] != 0 || (wide != null && wide[i] != null))
          && (key.rates() == null || key.rates().price(i) == null);
    }

    /** Adds this entry's quantity of the bucket with ordinal {@code i} to {@code sums}. */
    void addTo(WideSums sums, int i) {
      if (wide != null && wide[i] != null) {
        sums.add(i, wide[i]);
      } else {
        sums.add(i, quantities[i]);
      }
    }

    @Override
    public String toString() {
      return tags + " " + key + " @" + Instant.ofEpochMilli(Math.max(0, start)) + " records=" + records;
    }

    /**
     * Equal when tags, price key, time slot, quantities, record count and supplied cost (as a number)
     * are equal: two snapshots of a ledger that did not change hold equal entries.
     */
    @Override
    public boolean equals(Object other) {
      if (this == other) {
        return true;
      }
      if (!(other instanceof Entry)) {
        return false;
      }
      Entry o = (Entry) other;
      return start == o.start && end == o.end && records == o.records && tags.equals(o.tags) && key.equals(o.key)
          && Arrays.equals(quantities, o.quantities) && Arrays.equals(wide, o.wide)
          && Decimals.sameValue(supplied, o.supplied);
    }

    @Override
    public int hashCode() {
      return Objects.hash(tags, key, start, end, Arrays.hashCode(quantities), Arrays.hashCode(wide), records,
          Decimals.valueHash(supplied));
    }
  }

  private final List<Entry> entries;
  private final long takenAt;
  private final long coverFrom; // Long.MIN_VALUE: unbounded
  private final long coverTo; // Long.MAX_VALUE: unbounded
  private final boolean widened;

  LedgerSnapshot(List<Entry> entries, long takenAt) {
    this(entries, takenAt, Long.MIN_VALUE, Long.MAX_VALUE, false);
  }

  private LedgerSnapshot(List<Entry> entries, long takenAt, long coverFrom, long coverTo, boolean widened) {
    this.entries = Collections.unmodifiableList(entries);
    this.takenAt = takenAt;
    this.coverFrom = coverFrom;
    this.coverTo = coverTo;
    this.widened = widened;
  }

  /** A snapshot of other entries covering the same interval as this one (for what-ifs). */
  LedgerSnapshot with(List<Entry> other) {
    return new LedgerSnapshot(other, takenAt, coverFrom, coverTo, widened);
  }

  /** A snapshot of given entries (for tests, replays and merging snapshots). */
  public static LedgerSnapshot of(List<Entry> entries, long takenAtMillis) {
    return new LedgerSnapshot(new ArrayList<>(entries), takenAtMillis);
  }

  public List<Entry> entries() {
    return entries;
  }

  /** When the snapshot was taken (the ledger clock), epoch ms. */
  public long takenAtMillis() {
    return takenAt;
  }

  /** Only the entries that pass {@code filter}. */
  public LedgerSnapshot filter(Predicate<Entry> filter) {
    List<Entry> out = new ArrayList<>();
    for (Entry e : entries) {
      if (filter.test(e)) {
        out.add(e);
      }
    }
    return with(out);
  }

  /** Only entries whose tag {@code name} equals {@code value}. */
  public LedgerSnapshot where(String name, String value) {
    return filter(e -> value.equals(e.tags.get(name)));
  }

  /**
   * The usage recorded in [from, to), never less: every entry whose time slot overlaps the interval.
   *
   * <p>Recent usage is kept in minute slots, but the ledger compacts older slots into hours, days and
   * one slot of everything older ({@link Retention}), and a compacted slot cannot be split: which part
   * of its money fell before a bound is no longer known. A slot that straddles {@code from} or {@code
   * to} is therefore included whole, and the snapshot reports the interval it actually covers: {@link
   * #coveredFrom()} and {@link #coveredTo()} widen to the bounds of the slots included (and take in
   * every other slot inside the wider interval too, so the totals are exactly those of [{@link
   * #coveredFrom()}, {@link #coveredTo()})), and {@link #isWidened()} says so. Totals stay exact; two
   * adjacent intervals may both include a slot that straddles their common bound, so check {@link
   * #isWidened()} before adding them up. With minute slots only, the covered interval is the one asked
   * for, to the minute ({@code from} and {@code to} on minute bounds are covered exactly).
   *
   * @throws IllegalArgumentException if {@code from} is after {@code to}
   */
  public LedgerSnapshot between(Instant from, Instant to) {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if (from.isAfter(to)) {
      throw new IllegalArgumentException("between: from " + from + " is after to " + to);
    }
    long f = Math.max(from.toEpochMilli(), coverFrom);
    long t = Math.max(f, Math.min(to.toEpochMilli(), coverTo)); // within what this snapshot covers
    long lo = f;
    long hi = t;
    // Widen to the slots that overlap, until no slot crosses the widened bounds.
    boolean grew = true;
    while (grew) {
      grew = false;
      for (Entry e : entries) {
        if (overlaps(e, lo, hi) && (e.start < lo || e.end > hi)) {
          lo = Math.min(lo, e.start);
          hi = Math.max(hi, e.end);
          grew = true;
        }
      }
    }
    List<Entry> out = new ArrayList<>();
    for (Entry e : entries) {
      if (overlaps(e, lo, hi)) {
        out.add(e);
      }
    }
    return new LedgerSnapshot(out, takenAt, lo, hi, widened || lo != f || hi != t);
  }

  /** True when the slot [start, end) shares time with [from, to) (an empty interval shares none). */
  private static boolean overlaps(Entry e, long from, long to) {
    return e.start < to && e.end > from && from < to;
  }

  /**
   * The start of the interval this snapshot covers, when {@link #between} restricted it: the {@code
   * from} asked for, or earlier when a compacted slot straddled it. Empty for a snapshot of
   * everything, and when the slot of all data older than the retention's day horizon is included.
   */
  public java.util.Optional<Instant> coveredFrom() {
    return coverFrom == Long.MIN_VALUE ? java.util.Optional.empty()
        : java.util.Optional.of(Instant.ofEpochMilli(coverFrom));
  }

  /**
   * The end (exclusive) of the interval this snapshot covers, when {@link #between} restricted it: the
   * {@code to} asked for, or later when a compacted slot straddled it. Empty for a snapshot of
   * everything.
   */
  public java.util.Optional<Instant> coveredTo() {
    return coverTo == Long.MAX_VALUE ? java.util.Optional.empty()
        : java.util.Optional.of(Instant.ofEpochMilli(coverTo));
  }

  /**
   * True when {@link #between} had to cover more than the interval asked for, because a compacted slot
   * straddled a bound (see {@link #coveredFrom()}, {@link #coveredTo()}).
   */
  public boolean isWidened() {
    return widened;
  }

  /**
   * The same quantities under other price keys: {@code repricer} returns the key to price each entry
   * with (or the entry's own key to leave it). See {@link Repricing} for common what-ifs.
   */
  public LedgerSnapshot reprice(Function<Entry, PriceKey> repricer) {
    List<Entry> out = new ArrayList<>(entries.size());
    for (Entry e : entries) {
      PriceKey k = Objects.requireNonNull(repricer.apply(e), "repricer returned null");
      out.add(k == e.key ? e : e.withKey(k));
    }
    return with(out);
  }

  /** Everything in one {@link Totals}. */
  public Totals total() {
    Totals t = new Totals(Tags.EMPTY);
    for (Entry e : entries) {
      t.add(e);
    }
    return t;
  }

  /**
   * Totals grouped by the named tags (any subset: {@code "team"}, {@code "team", "model"}, a custom
   * key), largest cost first. Entries without a tag are grouped under its absence.
   */
  public List<Totals> totalsBy(String... tagNames) {
    List<String> names = Arrays.asList(tagNames);
    Map<Tags, Totals> groups = new LinkedHashMap<>();
    for (Entry e : entries) {
      Tags g = e.tags.select(names);
      groups.computeIfAbsent(g, Totals::new).add(e);
    }
    List<Totals> out = new ArrayList<>(groups.values());
    out.sort(Totals.BY_COST_DESC);
    return Collections.unmodifiableList(out);
  }

  /** The {@code n} largest groups of {@link #totalsBy}. */
  public List<Totals> top(int n, String... tagNames) {
    List<Totals> all = totalsBy(tagNames);
    return all.subList(0, Math.min(n, all.size()));
  }

  /** Totals by price key resource (model id, instance type), largest first. */
  public List<Totals> totalsByResource() {
    Map<String, Totals> groups = new LinkedHashMap<>();
    for (Entry e : entries) {
      String r = (e.key.provider() == null ? "" : e.key.provider() + "/") + e.key.resource();
      groups.computeIfAbsent(r, k -> new Totals(Tags.builder().model(k).build())).add(e);
    }
    List<Totals> out = new ArrayList<>(groups.values());
    out.sort(Totals.BY_COST_DESC);
    return Collections.unmodifiableList(out);
  }

  /**
   * Totals per time bucket of {@code granularity} (one minute, hour or day), oldest first, keyed by
   * the bucket's start. Slots the ledger has already compacted to a coarser resolution are reported
   * at the start of their bucket of that resolution.
   */
  public Map<Instant, Totals> byTimeBucket(Duration granularity) {
    long g = granularity.toMillis();
    if (g != Row.MINUTE && g != Row.HOUR && g != Row.DAY) {
      throw new IllegalArgumentException("time buckets are one minute, one hour or one day, not " + granularity);
    }
    Map<Instant, Totals> out = new TreeMap<>();
    for (Entry e : entries) {
      long start = e.start == Long.MIN_VALUE ? 0 : Math.floorDiv(e.start, g) * g;
      out.computeIfAbsent(Instant.ofEpochMilli(start), k -> new Totals(Tags.EMPTY)).add(e);
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * How many distinct values of {@code countTag} each group has: with {@code countTag = "run"} and
   * group {@code "model"}, the number of training runs per model, to turn cost per model into cost
   * per model iteration. Entries without the counted tag are not counted.
   */
  public Map<Tags, Long> distinct(String countTag, String... groupTags) {
    List<String> names = Arrays.asList(groupTags);
    Map<Tags, java.util.Set<String>> seen = new LinkedHashMap<>();
    for (Entry e : entries) {
      String v = e.tags.get(countTag);
      if (v != null) {
        seen.computeIfAbsent(e.tags.select(names), k -> new java.util.HashSet<>()).add(v);
      }
    }
    Map<Tags, Long> out = new LinkedHashMap<>();
    seen.forEach((k, v) -> out.put(k, (long) v.size()));
    return Collections.unmodifiableMap(out);
  }

  /** Sums of a group of entries: cost, quantities, records, and what was left unpriced. */
  static ArithmeticException past64Bits(UsageBucket b, BigInteger exact) {
    return new ArithmeticException("quantity of " + b.jsonName() + " " + exact
        + " passes 64 bits; the ledger keeps it exactly: use quantityExact");
  }

  public static final class Totals {
    static final Comparator<Totals> BY_COST_DESC = (a, b) -> {
      int c = b.costForSort().compareTo(a.costForSort());
      return c != 0 ? c : a.group.toString().compareTo(b.group.toString());
    };

    private final Tags group;
    private final Map<java.util.Currency, Money> costs = new LinkedHashMap<>();
    private final WideSums quantities = new WideSums(UsageBucket.COUNT);
    private final WideSums unpriced = new WideSums(UsageBucket.COUNT);
    private long records;
    private long requests;
    private long unpricedRecords;

    Totals(Tags group) {
      this.group = group;
    }

    void add(Entry e) {
      costs.merge(e.key.currency(), e.cost(), Money::plus);
      boolean any = false;
      for (int i = 0; i < UsageBucket.COUNT; i++) {
        e.addTo(quantities, i);
        if (e.isUnpriced(i)) {
          e.addTo(unpriced, i);
          any = true;
        }
      }
      records += e.records;
      if (isRequest(e.key)) {
        requests += e.records;
      }
      if (any) {
        unpricedRecords += e.records;
      }
    }

    /** The tag values this group shares. */
    public Tags group() {
      return group;
    }

    /**
     * The exact cost.
     *
     * @throws dev.finops.core.CurrencyMismatchException if the group holds several currencies (see
     *     {@link #costs()})
     */
    public Money cost() {
      if (costs.isEmpty()) {
        return Money.zero(Money.USD);
      }
      Money sum = null;
      for (Money m : costs.values()) {
        sum = sum == null ? m : sum.plus(m);
      }
      return sum;
    }

    /** Cost per currency. */
    public Map<java.util.Currency, Money> costs() {
      return Collections.unmodifiableMap(costs);
    }

    private java.math.BigDecimal costForSort() {
      java.math.BigDecimal s = java.math.BigDecimal.ZERO;
      for (Money m : costs.values()) {
        s = s.add(m.amount(Money.PRESENTATION_SCALE));
      }
      return s;
    }

    /**
     * The quantity of a bucket.
     *
     * @throws ArithmeticException if it passed 64 bits (see {@link #quantityExact})
     */
    public long quantity(UsageBucket b) {
      return exactLong(quantities, b);
    }

    /** The quantity of a bucket, exactly, also past 64 bits. */
    public BigInteger quantityExact(UsageBucket b) {
      return quantities.exact(b.ordinal());
    }

    /** Record calls of every kind: requests for model usage, steps or time slices for GPU time. */
    public long records() {
      return records;
    }

    /** Record calls of model usage only (priced, unpriced or caller-supplied): the requests. */
    public long requests() {
      return requests;
    }

    private static boolean isRequest(PriceKey k) {
      return k.kind() == PriceKey.Kind.MODEL || k.kind() == PriceKey.Kind.UNPRICED
          || k.kind() == PriceKey.Kind.CALLER_SUPPLIED || (k.kind() == PriceKey.Kind.CUSTOM
              && k.rates() != null && k.rates().price(UsageBucket.GPU_TIME) == null);
    }

    /**
     * Quantity left unpriced in a bucket.
     *
     * @throws ArithmeticException if it passed 64 bits (see {@link #unpricedQuantityExact})
     */
    public long unpricedQuantity(UsageBucket b) {
      return exactLong(unpriced, b);
    }

    /** Quantity left unpriced in a bucket, exactly. */
    public BigInteger unpricedQuantityExact(UsageBucket b) {
      return unpriced.exact(b.ordinal());
    }

    /** Records that carried some unpriced quantity. */
    public long unpricedRecords() {
      return unpricedRecords;
    }

    public boolean hasUnpriced() {
      return !unpriced.isZero();
    }

    /**
     * All input-side tokens.
     *
     * @throws ArithmeticException if they passed 64 bits (see {@link #quantityExact})
     */
    public long inputTokens() {
      return longOrThrow(tokensExact(true, false), "input tokens");
    }

    /**
     * All output-side tokens.
     *
     * @throws ArithmeticException if they passed 64 bits (see {@link #quantityExact})
     */
    public long outputTokens() {
      return longOrThrow(tokensExact(false, true), "output tokens");
    }

    /**
     * All tokens.
     *
     * @throws ArithmeticException if they passed 64 bits (see {@link #quantityExact})
     */
    public long tokens() {
      return longOrThrow(tokensExact(true, true), "tokens");
    }

    private BigInteger tokensExact(boolean input, boolean output) {
      BigInteger s = BigInteger.ZERO;
      for (UsageBucket b : UsageBucket.values()) {
        if ((input && b.isInputToken()) || (output && b.isOutputToken())) {
          s = s.add(quantities.exact(b.ordinal()));
        }
      }
      return s;
    }

    /**
     * GPU time in GPU-milliseconds.
     *
     * @throws ArithmeticException if it passed 64 bits (see {@link #quantityExact})
     */
    public long gpuMillis() {
      return quantity(UsageBucket.GPU_TIME);
    }

    private static long exactLong(WideSums sums, UsageBucket b) {
      int i = b.ordinal();
      if (!sums.fitsLong(i)) {
        throw past64Bits(b, sums.exact(i));
      }
      return sums.get(i);
    }

    private static long longOrThrow(BigInteger v, String what) {
      if (v.bitLength() >= 64) {
        throw new ArithmeticException(what + " " + v + " pass 64 bits; the ledger keeps them exactly: use quantityExact");
      }
      return v.longValue();
    }

    /** Cost ÷ requests, HALF_EVEN at {@code scale}; {@code null} with no requests. */
    public java.math.BigDecimal costPerRequest(int scale) {
      return requests == 0 ? null : per(BigInteger.valueOf(requests), 1, scale);
    }

    /** Cost per 1,000 tokens, HALF_EVEN at {@code scale}; {@code null} with no tokens. */
    public java.math.BigDecimal costPer1kTokens(int scale) {
      BigInteger t = tokensExact(true, true);
      return t.signum() == 0 ? null : per(t, 1_000, scale);
    }

    /** Cost per 1,000,000 tokens, HALF_EVEN at {@code scale}; {@code null} with no tokens. */
    public java.math.BigDecimal costPer1mTokens(int scale) {
      BigInteger t = tokensExact(true, true);
      return t.signum() == 0 ? null : per(t, 1_000_000, scale);
    }

    /** Requests per one unit of currency, HALF_EVEN at {@code scale}; {@code null} at zero cost. */
    public java.math.BigDecimal requestsPerCurrencyUnit(int scale) {
      Money c = cost();
      if (c.isZero()) {
        return null;
      }
      return Money.of(java.math.BigDecimal.valueOf(requests), c.currency()).ratio(c, scale);
    }

    private java.math.BigDecimal per(BigInteger count, long unit, int scale) {
      // cost × unit ÷ count, exact until the one rounding.
      return cost().times(unit).ratio(Money.of(new java.math.BigDecimal(count), cost().currency()), scale);
    }

    @Override
    public String toString() {
      return group + ": " + (costs.isEmpty() ? "0" : costs.values().toString()) + ", records=" + records;
    }
  }
}

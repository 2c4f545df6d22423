package dev.finops.core.ledger;

import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.UsageBucket;
import dev.finops.core.pricing.PriceKey;
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
    private final long[] quantities;
    private final long records;
    private final java.math.BigDecimal supplied;

    Entry(Tags tags, PriceKey key, long start, long end, long[] quantities, long records,
        java.math.BigDecimal supplied) {
      this.tags = tags;
      this.key = key;
      this.start = start;
      this.end = end;
      this.quantities = quantities;
      this.records = records;
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

    public long quantity(UsageBucket b) {
      return quantities[b.ordinal()];
    }

    /** Number of record calls (requests, steps, GPU-time slices). */
    public long records() {
      return records;
    }

    /** A copy of the quantities, indexed by bucket ordinal. */
    public long[] quantities() {
      return quantities.clone();
    }

    /** This entry with another price key (for re-pricing). */
    public Entry withKey(PriceKey other) {
      return new Entry(tags, other, start, end, quantities, records,
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
      return new Entry(tags, other, start, end, quantities.clone(), records, java.math.BigDecimal.ZERO);
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
        if (quantities[i] != 0) {
          Money c = key.rates().cost(UsageBucket.ofOrdinal(i), quantities[i], key.currency());
          if (c != null) {
            sum = sum.plus(c);
          }
        }
      }
      return sum;
    }

    /** Quantities no price covers (the whole entry for unpriced keys), by bucket ordinal. */
    long[] unpriced() {
      long[] out = new long[quantities.length];
      if (key.kind() == PriceKey.Kind.CALLER_SUPPLIED) {
        return out;
      }
      for (int i = 0; i < quantities.length; i++) {
        if (quantities[i] != 0 && (key.rates() == null || key.rates().price(i) == null)) {
          out[i] = quantities[i];
        }
      }
      return out;
    }

    @Override
    public String toString() {
      return tags + " " + key + " @" + Instant.ofEpochMilli(Math.max(0, start)) + " records=" + records;
    }
  }

  private final List<Entry> entries;
  private final long takenAt;

  LedgerSnapshot(List<Entry> entries, long takenAt) {
    this.entries = Collections.unmodifiableList(entries);
    this.takenAt = takenAt;
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
    return new LedgerSnapshot(out, takenAt);
  }

  /** Only entries whose tag {@code name} equals {@code value}. */
  public LedgerSnapshot where(String name, String value) {
    return filter(e -> value.equals(e.tags.get(name)));
  }

  /** Only entries in [from, to). */
  public LedgerSnapshot between(Instant from, Instant to) {
    long f = from.toEpochMilli();
    long t = to.toEpochMilli();
    return filter(e -> e.start >= f && e.end <= t);
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
    return new LedgerSnapshot(out, takenAt);
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
  public static final class Totals {
    static final Comparator<Totals> BY_COST_DESC = (a, b) -> {
      int c = b.costForSort().compareTo(a.costForSort());
      return c != 0 ? c : a.group.toString().compareTo(b.group.toString());
    };

    private final Tags group;
    private final Map<java.util.Currency, Money> costs = new LinkedHashMap<>();
    private final long[] quantities = new long[UsageBucket.COUNT];
    private final long[] unpriced = new long[UsageBucket.COUNT];
    private long records;
    private long requests;
    private long unpricedRecords;

    Totals(Tags group) {
      this.group = group;
    }

    void add(Entry e) {
      costs.merge(e.key.currency(), e.cost(), Money::plus);
      for (int i = 0; i < quantities.length; i++) {
        quantities[i] = Math.addExact(quantities[i], e.quantities[i]);
      }
      long[] u = e.unpriced();
      boolean any = false;
      for (int i = 0; i < u.length; i++) {
        unpriced[i] += u[i];
        any |= u[i] != 0;
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

    public long quantity(UsageBucket b) {
      return quantities[b.ordinal()];
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

    /** Quantity left unpriced in a bucket. */
    public long unpricedQuantity(UsageBucket b) {
      return unpriced[b.ordinal()];
    }

    /** Records that carried some unpriced quantity. */
    public long unpricedRecords() {
      return unpricedRecords;
    }

    public boolean hasUnpriced() {
      for (long u : unpriced) {
        if (u != 0) {
          return true;
        }
      }
      return false;
    }

    /** All input-side tokens. */
    public long inputTokens() {
      long s = 0;
      for (UsageBucket b : UsageBucket.values()) {
        if (b.isInputToken()) {
          s += quantities[b.ordinal()];
        }
      }
      return s;
    }

    /** All output-side tokens. */
    public long outputTokens() {
      long s = 0;
      for (UsageBucket b : UsageBucket.values()) {
        if (b.isOutputToken()) {
          s += quantities[b.ordinal()];
        }
      }
      return s;
    }

    public long tokens() {
      return inputTokens() + outputTokens();
    }

    /** GPU time in GPU-milliseconds. */
    public long gpuMillis() {
      return quantities[UsageBucket.GPU_TIME.ordinal()];
    }

    /** Cost ÷ requests, HALF_EVEN at {@code scale}; {@code null} with no requests. */
    public java.math.BigDecimal costPerRequest(int scale) {
      return requests == 0 ? null : per(requests, 1, scale);
    }

    /** Cost per 1,000 tokens, HALF_EVEN at {@code scale}; {@code null} with no tokens. */
    public java.math.BigDecimal costPer1kTokens(int scale) {
      long t = tokens();
      return t == 0 ? null : per(t, 1_000, scale);
    }

    /** Cost per 1,000,000 tokens, HALF_EVEN at {@code scale}; {@code null} with no tokens. */
    public java.math.BigDecimal costPer1mTokens(int scale) {
      long t = tokens();
      return t == 0 ? null : per(t, 1_000_000, scale);
    }

    /** Requests per one unit of currency, HALF_EVEN at {@code scale}; {@code null} at zero cost. */
    public java.math.BigDecimal requestsPerCurrencyUnit(int scale) {
      Money c = cost();
      if (c.isZero()) {
        return null;
      }
      return Money.of(java.math.BigDecimal.valueOf(requests), c.currency()).ratio(c, scale);
    }

    private java.math.BigDecimal per(long count, long unit, int scale) {
      // cost × unit ÷ count, exact until the one rounding.
      return cost().times(unit).ratio(Money.of(java.math.BigDecimal.valueOf(count), cost().currency()), scale);
    }

    @Override
    public String toString() {
      return group + ": " + (costs.isEmpty() ? "0" : costs.values().toString()) + ", records=" + records;
    }
  }
}

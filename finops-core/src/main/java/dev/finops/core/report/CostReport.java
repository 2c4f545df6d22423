package dev.finops.core.report;

import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.UsageBucket;
import dev.finops.core.ledger.LedgerSnapshot;
import dev.finops.core.ledger.LedgerSnapshot.Totals;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Currency;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * What a {@link LedgerSnapshot} cost, as a model to render ({@link CostReportJson}, {@link
 * CostReportText}) or to read directly: the total, the cost by team, experiment, run, model tag and
 * price-key resource (or other tags), the top N groups of each, and the usage no price covers.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * CostReport report = CostReport.builder().topN(5).build(ledger.snapshot());
 * report.grouping("team").groups();       // the five most expensive teams
 * System.out.println(CostReportText.render(report));
 * }</pre>
 *
 * <h2>Priced and unpriced usage</h2>
 *
 * Totals and groups count <em>priced</em> usage only: the ledger entries whose price key carries unit
 * prices ({@link dev.finops.core.pricing.PriceKey#isPriced()}). Their requests, tokens and GPU time
 * are what the cost and the per-unit figures are computed from. Usage recorded under an unpriced key
 * (an unknown model under {@code RECORD_UNPRICED}, a caller-supplied cost the ledger keeps no amount
 * for) is never shown as a zero cost: it is reported on its own ({@link #unpricedTotal()}, {@link
 * #unpricedByResource()}) as quantities per bucket and records, and each group says how many of its
 * records carried unpriced usage ({@link Group#unpricedRecords()}). A quantity in a bucket that a
 * priced key has no price for is reported as unpriced too, while the rest of that entry stays priced.
 *
 * <h2>Currencies</h2>
 *
 * A group normally has one currency. When the snapshot holds several, each group has one {@link
 * Line} per currency, each with the quantities recorded in that currency, so nothing is converted and
 * nothing fails. Groups are ordered by cost, largest first, comparing currencies in the order of
 * their ISO codes, then by name (groups without the tag last).
 *
 * <h2>Exactness and presentation scale</h2>
 *
 * Every amount here is an exact {@link Money}, including the per-unit figures (a cost divided by a
 * count is kept as an exact fraction). Rounding happens only when rendering: JSON carries {@link
 * Money#toPlainString()} (the exact decimal, or {@value Money#PRESENTATION_SCALE} places HALF_EVEN
 * when the amount does not terminate); the text table rounds amounts HALF_EVEN to {@value
 * #TOTAL_SCALE} places and per-unit figures HALF_EVEN to {@value #PER_UNIT_SCALE} places.
 */
public final class CostReport {

  /** Decimal places of amounts and GPU-hours in the text rendering (HALF_EVEN). */
  public static final int TOTAL_SCALE = 4;

  /** Decimal places of per-unit figures (per request, per 1k or 1M tokens) in the text rendering (HALF_EVEN). */
  public static final int PER_UNIT_SCALE = 6;

  /** How many groups per grouping {@link Builder#topN} keeps unless told otherwise. */
  public static final int DEFAULT_TOP_N = 10;

  /** The name of the grouping by price-key resource ({@code provider/model id} or instance type). */
  public static final String RESOURCE = "resource";

  /** The tag groupings of a default report, in report order. */
  public static final List<String> DEFAULT_TAG_GROUPINGS = List.of(
      Tags.Key.TEAM.tagName(), Tags.Key.EXPERIMENT.tagName(), Tags.Key.RUN.tagName(), Tags.Key.MODEL.tagName());

  private static final long GPU_MS_PER_HOUR = UsageBucket.GPU_TIME.unit().basePerPricingUnit();

  private final Instant takenAt;
  private final int topN;
  private final List<Currency> currencies;
  private final Group total;
  private final Map<String, Grouping> groupings;
  private final UnpricedGroup unpricedTotal;
  private final List<UnpricedGroup> unpricedByResource;

  private CostReport(Instant takenAt, int topN, List<Currency> currencies, Group total,
      Map<String, Grouping> groupings, UnpricedGroup unpricedTotal, List<UnpricedGroup> unpricedByResource) {
    this.takenAt = takenAt;
    this.topN = topN;
    this.currencies = currencies;
    this.total = total;
    this.groupings = groupings;
    this.unpricedTotal = unpricedTotal;
    this.unpricedByResource = unpricedByResource;
  }

  /** A report with the default groupings and top {@value #DEFAULT_TOP_N}. */
  public static CostReport of(LedgerSnapshot snapshot) {
    return builder().build(snapshot);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** When the snapshot was taken. */
  public Instant takenAt() {
    return takenAt;
  }

  /** How many groups each grouping keeps; the rest are summed in {@link Grouping#others()}. */
  public int topN() {
    return topN;
  }

  /** The currencies of the priced usage, by ISO code; empty when nothing was priced. */
  public List<Currency> currencies() {
    return currencies;
  }

  /** All priced usage, named {@code "total"}; no lines when nothing was priced. */
  public Group total() {
    return total;
  }

  /** The groupings in report order ({@code team, experiment, run, model, resource} by default). */
  public List<Grouping> groupings() {
    return List.copyOf(groupings.values());
  }

  /**
   * A grouping by name (a tag name, or {@value #RESOURCE}).
   *
   * @throws IllegalArgumentException if the report has no such grouping
   */
  public Grouping grouping(String name) {
    Grouping g = groupings.get(name);
    if (g == null) {
      throw new IllegalArgumentException("no grouping '" + name + "' in this report; it has " + groupings.keySet());
    }
    return g;
  }

  /** True when some usage had no price. */
  public boolean hasUnpriced() {
    return unpricedTotal.records() > 0 || !unpricedTotal.quantities().isEmpty();
  }

  /** All unpriced usage, named {@code "total"}. */
  public UnpricedGroup unpricedTotal() {
    return unpricedTotal;
  }

  /**
   * Unpriced usage per price-key resource ({@code provider/model}), most records first, then by
   * name; empty when everything was priced.
   */
  public List<UnpricedGroup> unpricedByResource() {
    return unpricedByResource;
  }

  @Override
  public String toString() {
    return "CostReport{" + takenAt + ", total=" + total.lines() + ", groupings=" + groupings.keySet()
        + (hasUnpriced() ? ", unpriced records=" + unpricedTotal.records() : "") + "}";
  }

  // ---- model ---------------------------------------------------------------------------------

  /**
   * Priced usage in one currency: exact cost, requests (ledger records), tokens and GPU time, and
   * exact per-unit figures.
   */
  public static final class Line {
    private final Currency currency;
    private final Money cost;
    private final long requests;
    private final long inputTokens;
    private final long outputTokens;
    private final long gpuMillis;

    Line(Money cost, long requests, long inputTokens, long outputTokens, long gpuMillis) {
      this.currency = cost.currency();
      this.cost = cost;
      this.requests = requests;
      this.inputTokens = inputTokens;
      this.outputTokens = outputTokens;
      this.gpuMillis = gpuMillis;
    }

    static Line of(Totals t, Currency currency) {
      Money cost = t.costs().getOrDefault(currency, Money.zero(currency));
      return new Line(cost, t.requests(), t.inputTokens(), t.outputTokens(), t.gpuMillis());
    }

    Line plus(Line o) {
      return new Line(cost.plus(o.cost), Math.addExact(requests, o.requests),
          Math.addExact(inputTokens, o.inputTokens), Math.addExact(outputTokens, o.outputTokens),
          Math.addExact(gpuMillis, o.gpuMillis));
    }

    public Currency currency() {
      return currency;
    }

    /** The exact cost. */
    public Money cost() {
      return cost;
    }

    /** Requests: record calls of model usage (GPU-time slices and steps are not requests). */
    public long requests() {
      return requests;
    }

    /** Input-side tokens (uncached, cache reads and writes, audio and image input). */
    public long inputTokens() {
      return inputTokens;
    }

    /** Output-side tokens (output, reasoning, audio and image output). */
    public long outputTokens() {
      return outputTokens;
    }

    public long tokens() {
      return inputTokens + outputTokens;
    }

    /** GPU time in GPU-milliseconds (the {@link UsageBucket#GPU_TIME} base unit). */
    public long gpuMillis() {
      return gpuMillis;
    }

    /** GPU-hours rounded HALF_EVEN to {@code scale} places. */
    public BigDecimal gpuHours(int scale) {
      return BigDecimal.valueOf(gpuMillis).divide(BigDecimal.valueOf(GPU_MS_PER_HOUR), scale, RoundingMode.HALF_EVEN);
    }

    /** GPU-hours as a plain decimal: exact, or {@value Money#PRESENTATION_SCALE} places HALF_EVEN. */
    public String gpuHoursPlain() {
      BigDecimal ms = BigDecimal.valueOf(gpuMillis);
      BigDecimal perHour = BigDecimal.valueOf(GPU_MS_PER_HOUR);
      try {
        return Money.plain(ms.divide(perHour));
      } catch (ArithmeticException nonTerminating) {
        return Money.plain(ms.divide(perHour, Money.PRESENTATION_SCALE, RoundingMode.HALF_EVEN));
      }
    }

    /** Cost ÷ requests, exact; {@code null} with no requests. */
    public Money costPerRequest() {
      return per(1, requests);
    }

    /** Cost per 1,000 tokens, exact; {@code null} with no tokens. */
    public Money costPer1kTokens() {
      return per(1_000, tokens());
    }

    /** Cost per 1,000,000 tokens, exact; {@code null} with no tokens. */
    public Money costPer1mTokens() {
      return per(1_000_000, tokens());
    }

    private Money per(long unit, long count) {
      if (count == 0) {
        return null;
      }
      Money scaled = cost.times(unit);
      try {
        return scaled.dividedBy(count);
      } catch (ArithmeticException denominatorTooLarge) {
        // The exact fraction would not fit; the presentation scale is all any rendering shows.
        BigDecimal r = scaled.ratio(Money.of(BigDecimal.valueOf(count), currency), Money.PRESENTATION_SCALE);
        return Money.of(r, currency);
      }
    }

    @Override
    public String toString() {
      return cost + ", requests=" + requests + ", tokens=" + inputTokens + "/" + outputTokens
          + (gpuMillis == 0 ? "" : ", gpu_ms=" + gpuMillis);
    }
  }

  /** One group of a grouping (one team, one model, ...): a {@link Line} per currency. */
  public static final class Group {
    private final String name;
    private final List<Line> lines;
    private final long unpricedRecords;

    Group(String name, List<Line> lines, long unpricedRecords) {
      this.name = name;
      this.lines = List.copyOf(lines);
      this.unpricedRecords = unpricedRecords;
    }

    /** The tag value or resource; {@code null} for usage without the tag. */
    public String name() {
      return name;
    }

    /** The priced usage, one line per currency in ISO code order (usually one). */
    public List<Line> lines() {
      return lines;
    }

    /** The line of a currency, or {@code null}. */
    public Line line(Currency currency) {
      for (Line l : lines) {
        if (l.currency().equals(currency)) {
          return l;
        }
      }
      return null;
    }

    /** The exact cost in a currency (zero when the group has none in it). */
    public Money cost(Currency currency) {
      Line l = line(currency);
      return l == null ? Money.zero(currency) : l.cost();
    }

    /** Records of this group that carried usage no price covers (reported apart, not as cost). */
    public long unpricedRecords() {
      return unpricedRecords;
    }

    @Override
    public String toString() {
      return (name == null ? "(none)" : name) + ": " + lines
          + (unpricedRecords == 0 ? "" : ", unpriced records=" + unpricedRecords);
    }
  }

  /** The groups of one grouping, largest cost first, cut to the report's top N. */
  public static final class Grouping {
    private final String name;
    private final List<Group> groups;
    private final int groupCount;
    private final Group others;
    private final int othersCount;
    private final List<String> unpricedOnly;

    Grouping(String name, List<Group> groups, int groupCount, Group others, int othersCount,
        List<String> unpricedOnly) {
      this.name = name;
      this.groups = List.copyOf(groups);
      this.groupCount = groupCount;
      this.others = others;
      this.othersCount = othersCount;
      this.unpricedOnly = Collections.unmodifiableList(new ArrayList<>(unpricedOnly)); // may hold null
    }

    /** The tag name grouped by, or {@value CostReport#RESOURCE}. */
    public String name() {
      return name;
    }

    /** The top N groups, largest cost first, then by name (groups without the tag last). */
    public List<Group> groups() {
      return groups;
    }

    /** How many groups had priced usage before the top-N cut. */
    public int groupCount() {
      return groupCount;
    }

    /** The groups beyond the top N summed into one (named {@code null}), or {@code null} if none were cut. */
    public Group others() {
      return others;
    }

    /** How many groups {@link #others()} sums. */
    public int othersCount() {
      return othersCount;
    }

    /**
     * Groups whose usage was all unpriced, so they have no line here (see {@link
     * CostReport#unpricedByResource()}), sorted; a group without the tag is {@code null}, last.
     */
    public List<String> unpricedOnly() {
      return unpricedOnly;
    }

    @Override
    public String toString() {
      return "by " + name + ": " + groups + (others == null ? "" : " + " + othersCount + " others");
    }
  }

  /** Usage no price covers: quantities per bucket and the records that carried them. */
  public static final class UnpricedGroup {
    private final String name;
    private final long records;
    private final Map<UsageBucket, Long> quantities;

    UnpricedGroup(String name, Totals t) {
      this.name = name;
      this.records = t.unpricedRecords();
      Map<UsageBucket, Long> q = new EnumMap<>(UsageBucket.class);
      for (UsageBucket b : UsageBucket.values()) {
        long v = t.unpricedQuantity(b);
        if (v != 0) {
          q.put(b, v);
        }
      }
      this.quantities = Collections.unmodifiableMap(q);
    }

    /** The resource ({@code provider/model}), or {@code "total"}. */
    public String name() {
      return name;
    }

    /** Records that carried some unpriced quantity. */
    public long records() {
      return records;
    }

    /** The unpriced quantity per bucket in base units, non-zero ones only, in bucket order. */
    public Map<UsageBucket, Long> quantities() {
      return quantities;
    }

    /** The unpriced quantity of one bucket (0 when none). */
    public long quantity(UsageBucket bucket) {
      return quantities.getOrDefault(bucket, 0L);
    }

    @Override
    public String toString() {
      return name + ": records=" + records + ", " + quantities;
    }
  }

  // ---- building ------------------------------------------------------------------------------

  /** Configures and builds {@link CostReport}s. Not thread-safe; reusable. */
  public static final class Builder {
    private int topN = DEFAULT_TOP_N;
    private final List<String> tagGroupings = new ArrayList<>(DEFAULT_TAG_GROUPINGS);
    private boolean byResource = true;

    private Builder() {}

    /** How many groups each grouping keeps (default {@value CostReport#DEFAULT_TOP_N}). */
    public Builder topN(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("topN must be at least 1: " + n);
      }
      this.topN = n;
      return this;
    }

    /** Keeps every group. */
    public Builder allGroups() {
      this.topN = Integer.MAX_VALUE;
      return this;
    }

    /**
     * The tags to group by, in report order, replacing the default ({@code team, experiment, run,
     * model}); standard or custom tag names.
     */
    public Builder groupByTags(String... tagNames) {
      List<String> names = new ArrayList<>();
      for (String n : tagNames) {
        if (n == null || n.isEmpty() || RESOURCE.equals(n) || names.contains(n)) {
          throw new IllegalArgumentException("bad or repeated tag grouping: '" + n + "'");
        }
        names.add(n);
      }
      tagGroupings.clear();
      tagGroupings.addAll(names);
      return this;
    }

    /** Whether to add the grouping by price-key resource after the tag groupings (default true). */
    public Builder byResource(boolean byResource) {
      this.byResource = byResource;
      return this;
    }

    public CostReport build(LedgerSnapshot snapshot) {
      Objects.requireNonNull(snapshot, "snapshot");
      LedgerSnapshot priced = snapshot.filter(e -> e.key().isPriced());
      Map<Currency, LedgerSnapshot> byCurrency = new TreeMap<>(Comparator.comparing(Currency::getCurrencyCode));
      for (LedgerSnapshot.Entry e : priced.entries()) {
        byCurrency.computeIfAbsent(e.key().currency(), c -> priced.filter(x -> x.key().currency().equals(c)));
      }
      List<Currency> currencies = List.copyOf(byCurrency.keySet());

      List<Line> totalLines = new ArrayList<>();
      byCurrency.forEach((c, s) -> totalLines.add(Line.of(s.total(), c)));
      Totals all = snapshot.total();
      Group total = new Group("total", totalLines, all.unpricedRecords());

      Map<String, Grouping> groupings = new LinkedHashMap<>();
      for (String tag : tagGroupings) {
        groupings.put(tag, grouping(tag, snapshot, byCurrency, currencies, s -> s.totalsBy(tag), t -> t.group().get(tag)));
      }
      if (byResource) {
        groupings.put(RESOURCE, grouping(RESOURCE, snapshot, byCurrency, currencies, LedgerSnapshot::totalsByResource,
            CostReport::resourceName));
      }

      List<UnpricedGroup> unpriced = new ArrayList<>();
      for (Totals t : snapshot.totalsByResource()) {
        if (t.hasUnpriced()) {
          unpriced.add(new UnpricedGroup(resourceName(t), t));
        }
      }
      unpriced.sort(Comparator.comparingLong(UnpricedGroup::records).reversed()
          .thenComparing(UnpricedGroup::name));
      return new CostReport(Instant.ofEpochMilli(snapshot.takenAtMillis()), topN, currencies, total,
          Collections.unmodifiableMap(groupings), new UnpricedGroup("total", all), List.copyOf(unpriced));
    }

    private Grouping grouping(String name, LedgerSnapshot whole, Map<Currency, LedgerSnapshot> byCurrency,
        List<Currency> currencies, Function<LedgerSnapshot, List<Totals>> totals, Function<Totals, String> nameOf) {
      // Lines per group name (null: usage without the tag), in currency order.
      Map<String, List<Line>> lines = new HashMap<>();
      byCurrency.forEach((c, s) -> {
        for (Totals t : totals.apply(s)) {
          lines.computeIfAbsent(nameOf.apply(t), k -> new ArrayList<>()).add(Line.of(t, c));
        }
      });
      Map<String, Long> unpricedRecords = new HashMap<>();
      TreeSet<String> unpricedOnly = new TreeSet<>(Comparator.nullsLast(Comparator.naturalOrder()));
      for (Totals t : totals.apply(whole)) {
        String n = nameOf.apply(t);
        unpricedRecords.put(n, t.unpricedRecords());
        if (t.hasUnpriced() && !lines.containsKey(n)) {
          unpricedOnly.add(n);
        }
      }
      List<Group> groups = new ArrayList<>();
      lines.forEach((n, l) -> groups.add(new Group(n, l, unpricedRecords.getOrDefault(n, 0L))));
      groups.sort(byCostDesc(currencies));

      int keep = Math.min(topN, groups.size());
      Group others = null;
      if (keep < groups.size()) {
        others = sum(groups.subList(keep, groups.size()), currencies);
      }
      return new Grouping(name, groups.subList(0, keep), groups.size(), others, groups.size() - keep,
          new ArrayList<>(unpricedOnly));
    }
  }

  private static String resourceName(Totals t) {
    return t.group().model();
  }

  /** Largest cost first, comparing currencies in code order; then by name, groups without the tag last. */
  static Comparator<Group> byCostDesc(List<Currency> currencies) {
    Comparator<Group> byCost = (a, b) -> {
      for (Currency c : currencies) {
        int cmp = b.cost(c).compareTo(a.cost(c));
        if (cmp != 0) {
          return cmp;
        }
      }
      return 0;
    };
    return byCost.thenComparing(Group::name, Comparator.nullsLast(Comparator.naturalOrder()));
  }

  private static Group sum(List<Group> groups, List<Currency> currencies) {
    List<Line> lines = new ArrayList<>();
    for (Currency c : currencies) {
      Line acc = null;
      for (Group g : groups) {
        Line l = g.line(c);
        if (l != null) {
          acc = acc == null ? l : acc.plus(l);
        }
      }
      if (acc != null) {
        lines.add(acc);
      }
    }
    long unpriced = 0;
    for (Group g : groups) {
      unpriced = Math.addExact(unpriced, g.unpricedRecords());
    }
    return new Group(null, lines, unpriced);
  }
}

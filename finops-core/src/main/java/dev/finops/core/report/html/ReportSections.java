package dev.finops.core.report.html;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finops.core.Money;
import dev.finops.core.ledger.LedgerSnapshot;
import dev.finops.core.report.CostReport;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Optional sections of a report JSON ({@link dev.finops.core.report.CostReportJson}) that {@link
 * HtmlReport} draws as time charts and distributions. Each takes exact amounts and writes them as
 * plain decimal strings ({@link Money#toPlainString()}), like the report itself; counts are integers.
 *
 * <pre>{@code
 * ObjectNode json = CostReportJson.toJson(report);
 * json.set("spend_over_time", ReportSections.spendOverTime(snapshot, Duration.ofHours(1), 6, "team", "model", "resource"));
 * Files.writeString(path, HtmlReport.render(json));
 * }</pre>
 */
public final class ReportSections {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ReportSections() {}

  /**
   * Priced cost per time bucket, per group of each grouping (a tag name or {@value
   * CostReport#RESOURCE}), in the snapshot's first currency by ISO code:
   *
   * <pre>{@code
   * {"granularity": "PT1H", "currency": "USD", "buckets": ["2026-11-02T00:00:00Z", ...],
   *  "by": {"team": {"series": [{"name": "product", "total": "216.37", "costs": ["1.2", ...]}, ...],
   *                  "others_count": 0}, ...}}
   * }</pre>
   *
   * Buckets run without gaps from the first to the last with priced usage; groups beyond {@code
   * maxSeries - 1} are summed into one series named {@code null} with {@code "others": true}; a
   * series of usage without the tag is named {@code null} without it. Returns {@code null}
   * when nothing was priced.
   */
  public static ObjectNode spendOverTime(LedgerSnapshot snapshot, Duration granularity, int maxSeries,
      String... groupings) {
    if (maxSeries < 2) {
      throw new IllegalArgumentException("maxSeries must be at least 2: " + maxSeries);
    }
    Currency currency = firstCurrency(snapshot);
    if (currency == null) {
      return null;
    }
    LedgerSnapshot priced = snapshot.filter(e -> e.key().isPriced() && e.key().currency().equals(currency));
    long g = granularity.toMillis();
    TreeSet<Long> starts = new TreeSet<>();
    for (LedgerSnapshot.Entry e : priced.entries()) {
      starts.add(bucket(e.startMillis(), g));
    }
    List<Long> buckets = new ArrayList<>();
    for (long t = starts.first(); t <= starts.last(); t += g) {
      buckets.add(t);
    }
    ObjectNode out = NODES.objectNode();
    out.put("granularity", granularity.toString());
    out.put("currency", currency.getCurrencyCode());
    ArrayNode b = out.putArray("buckets");
    buckets.forEach(t -> b.add(Instant.ofEpochMilli(t).toString()));
    ObjectNode by = out.putObject("by");
    for (String grouping : groupings) {
      Function<LedgerSnapshot.Entry, String> nameOf = CostReport.RESOURCE.equals(grouping)
          ? e -> (e.key().provider() == null ? "" : e.key().provider() + "/") + e.key().resource()
          : e -> e.tags().get(grouping);
      by.set(grouping, series(priced, g, buckets, currency, nameOf, maxSeries));
    }
    return out;
  }

  private static ObjectNode series(LedgerSnapshot priced, long g, List<Long> buckets, Currency currency,
      Function<LedgerSnapshot.Entry, String> nameOf, int maxSeries) {
    Map<String, Money[]> costs = new HashMap<>();
    for (LedgerSnapshot.Entry e : priced.entries()) {
      Money[] row = costs.computeIfAbsent(nameOf.apply(e), k -> zeros(buckets.size(), currency));
      int i = buckets.indexOf(bucket(e.startMillis(), g));
      row[i] = row[i].plus(e.cost());
    }
    Map<String, Money> totals = new HashMap<>();
    costs.forEach((n, row) -> totals.put(n, sum(row, currency)));
    List<String> names = new ArrayList<>(costs.keySet());
    names.sort(Comparator.<String, Money>comparing(totals::get).reversed()
        .thenComparing(Comparator.nullsLast(Comparator.<String>naturalOrder())));
    int keep = names.size() <= maxSeries ? names.size() : maxSeries - 1;
    ObjectNode node = NODES.objectNode();
    ArrayNode list = node.putArray("series");
    for (String n : names.subList(0, keep)) {
      list.add(seriesNode(n, costs.get(n), currency));
    }
    if (keep < names.size()) {
      Money[] others = zeros(buckets.size(), currency);
      for (String n : names.subList(keep, names.size())) {
        Money[] row = costs.get(n);
        for (int i = 0; i < row.length; i++) {
          others[i] = others[i].plus(row[i]);
        }
      }
      list.add(seriesNode(null, others, currency).put("others", true));
    }
    node.put("others_count", names.size() - keep);
    return node;
  }

  private static ObjectNode seriesNode(String name, Money[] row, Currency currency) {
    ObjectNode s = NODES.objectNode();
    s.put("name", name);
    s.put("total", sum(row, currency).toPlainString());
    ArrayNode a = s.putArray("costs");
    for (Money m : row) {
      a.add(m.toPlainString());
    }
    return s;
  }

  /**
   * The cost of a snapshot (one run, one endpoint) per time slot of {@code granularity} and
   * cumulatively, with the stretches where nothing was billed:
   *
   * <pre>{@code
   * {"granularity": "PT1M", "currency": "USD",
   *  "starts": ["2026-11-02T01:00:00Z", ...], "costs": ["0.1041", ...], "cumulative": ["0.1041", ...],
   *  "gaps": [{"from": "2026-11-02T03:31:00Z", "to": "2026-11-02T03:50:00Z"}]}
   * }</pre>
   *
   * Only slots with priced cost are listed; a gap runs from the end of one billed slot to the start
   * of the next when they do not touch. Returns {@code null} when nothing was priced.
   */
  public static ObjectNode costTimeline(LedgerSnapshot snapshot, Duration granularity) {
    Currency currency = firstCurrency(snapshot);
    if (currency == null) {
      return null;
    }
    long g = granularity.toMillis();
    TreeMap<Long, Money> slots = new TreeMap<>();
    for (LedgerSnapshot.Entry e : snapshot.entries()) {
      if (e.key().isPriced() && e.key().currency().equals(currency)) {
        slots.merge(bucket(e.startMillis(), g), e.cost(), Money::plus);
      }
    }
    ObjectNode out = NODES.objectNode();
    out.put("granularity", granularity.toString());
    out.put("currency", currency.getCurrencyCode());
    ArrayNode starts = out.putArray("starts");
    ArrayNode costs = out.putArray("costs");
    ArrayNode cumulative = out.putArray("cumulative");
    ArrayNode gaps = out.putArray("gaps");
    Money running = Money.zero(currency);
    Long previousEnd = null;
    for (Map.Entry<Long, Money> s : slots.entrySet()) {
      if (previousEnd != null && s.getKey() > previousEnd) {
        ObjectNode gap = gaps.addObject();
        gap.put("from", Instant.ofEpochMilli(previousEnd).toString());
        gap.put("to", Instant.ofEpochMilli(s.getKey()).toString());
      }
      running = running.plus(s.getValue());
      starts.add(Instant.ofEpochMilli(s.getKey()).toString());
      costs.add(s.getValue().toPlainString());
      cumulative.add(running.toPlainString());
      previousEnd = s.getKey() + g;
    }
    return out;
  }

  /**
   * The distribution of some amounts (the cost of each request of an endpoint) in {@code bins}
   * equal-width bins from zero, with exact quantiles (nearest rank):
   *
   * <pre>{@code
   * {"currency": "USD", "count": 21399, "total": "44.664", "mean": "0.0020872", "min": "0.0000123",
   *  "p50": "...", "p90": "...", "p99": "...", "max": "...",
   *  "bins": [{"from": "0", "to": "0.0005", "count": 1234}, ...]}
   * }</pre>
   *
   * The bin width is {@code max / bins} rounded up to two significant digits, so the edges are short
   * exact decimals; a bin holds amounts in {@code [from, to)}, the last one also its upper edge.
   * Returns {@code null} for no amounts.
   *
   * @throws IllegalArgumentException if an amount is negative or the currencies differ
   */
  public static ObjectNode distribution(List<Money> amounts, int bins) {
    if (bins < 1) {
      throw new IllegalArgumentException("bins must be at least 1: " + bins);
    }
    if (amounts.isEmpty()) {
      return null;
    }
    List<Money> sorted = new ArrayList<>(amounts);
    sorted.sort(Comparator.naturalOrder());
    Currency currency = sorted.get(0).currency();
    if (sorted.get(0).signum() < 0) {
      throw new IllegalArgumentException("negative amount: " + sorted.get(0));
    }
    Money total = Money.zero(currency);
    for (Money m : sorted) {
      total = total.plus(m); // also rejects a second currency
    }
    Money max = sorted.get(sorted.size() - 1);
    BigDecimal width = max.isZero() ? BigDecimal.ONE
        : max.amount(Money.PRESENTATION_SCALE).divide(BigDecimal.valueOf(bins), new MathContext(2, RoundingMode.CEILING));
    if (width.signum() == 0) {
      width = BigDecimal.ONE.movePointLeft(Money.PRESENTATION_SCALE);
    }
    long[] counts = new long[bins];
    for (Money m : sorted) {
      int i = m.amount(Money.PRESENTATION_SCALE + 2).divide(width, 0, RoundingMode.FLOOR).intValue();
      counts[Math.min(i, bins - 1)]++;
    }
    ObjectNode out = NODES.objectNode();
    out.put("currency", currency.getCurrencyCode());
    out.put("count", sorted.size());
    out.put("total", total.toPlainString());
    out.put("mean", total.dividedBy(sorted.size()).toPlainString());
    out.put("min", sorted.get(0).toPlainString());
    Map<String, Integer> quantiles = new LinkedHashMap<>();
    quantiles.put("p50", 50);
    quantiles.put("p90", 90);
    quantiles.put("p99", 99);
    quantiles.forEach((k, p) -> out.put(k, sorted.get(rank(p, sorted.size())).toPlainString()));
    out.put("max", max.toPlainString());
    ArrayNode a = out.putArray("bins");
    for (int i = 0; i < bins; i++) {
      ObjectNode bin = a.addObject();
      bin.put("from", Money.plain(width.multiply(BigDecimal.valueOf(i))));
      bin.put("to", Money.plain(width.multiply(BigDecimal.valueOf(i + 1L))));
      bin.put("count", counts[i]);
    }
    return out;
  }

  /** The zero-based index of the nearest-rank {@code p}-th percentile of {@code n} sorted values. */
  private static int rank(int percent, int n) {
    return (int) Math.max(0, (percent * (long) n + 99) / 100 - 1);
  }

  private static Currency firstCurrency(LedgerSnapshot snapshot) {
    Currency first = null;
    for (LedgerSnapshot.Entry e : snapshot.entries()) {
      Currency c = e.key().currency();
      if (e.key().isPriced() && (first == null || c.getCurrencyCode().compareTo(first.getCurrencyCode()) < 0)) {
        first = c;
      }
    }
    return first;
  }

  private static long bucket(long startMillis, long g) {
    return startMillis == Long.MIN_VALUE ? 0 : Math.floorDiv(startMillis, g) * g;
  }

  private static Money[] zeros(int n, Currency currency) {
    Money[] row = new Money[n];
    java.util.Arrays.fill(row, Money.zero(currency));
    return row;
  }

  private static Money sum(Money[] row, Currency currency) {
    Money s = Money.zero(currency);
    for (Money m : row) {
      s = s.plus(m);
    }
    return s;
  }
}

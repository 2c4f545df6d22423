package dev.finops.core.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finops.core.Money;
import dev.finops.core.UsageBucket;
import dev.finops.core.report.CostReport.Group;
import dev.finops.core.report.CostReport.Grouping;
import dev.finops.core.report.CostReport.Line;
import dev.finops.core.report.CostReport.UnpricedGroup;
import java.io.UncheckedIOException;
import java.util.Currency;
import java.util.Map;

/**
 * A {@link CostReport} as JSON. The shape is stable: every key below is always present (a value
 * may be {@code null}), keys are snake_case and in the order shown, and arrays are in report order
 * (groups by cost, largest first, then by name, untagged last). Amounts are strings holding plain
 * decimals ({@link Money#toPlainString()}: the exact value, or {@value Money#PRESENTATION_SCALE}
 * places HALF_EVEN when it does not terminate), never JSON numbers; counts (requests, tokens,
 * GPU-milliseconds) are JSON integers.
 *
 * <pre>{@code
 * {
 *   "format": "finops.cost_report", "format_version": 1,
 *   "taken_at": "2026-03-01T12:00:00Z",      // ISO-8601 instant of the snapshot
 *   "currencies": ["USD"],                   // of the priced usage, by ISO code
 *   "top_n": 10,                             // null when every group is kept
 *   "total": GROUP,                          // name "total"
 *   "groupings": {                           // team, experiment, run, model, resource by default
 *     "team": {
 *       "group_count": 12,                   // groups with priced usage, before the top-N cut
 *       "groups": [GROUP, ...],              // the top N
 *       "others": null | {"count": 2, "lines": [LINE, ...], "unpriced_records": 0},
 *       "unpriced_only": ["team-c", null]    // groups with unpriced usage only (null: untagged)
 *     }, ...
 *   },
 *   "unpriced": {                            // usage no price covers; never a cost
 *     "records": 3,
 *     "quantities": {"input": 1200, "output": 300},   // bucket name -> base units, non-zero only
 *     "by_resource": [{"name": "acme/mystery-1", "records": 3, "quantities": {...}}, ...]
 *   }
 * }
 * GROUP = {"name": "nlp" | null, "lines": [LINE, ...], "unpriced_records": 0}
 * LINE  = {"currency": "USD", "cost": "12.5", "requests": 40, "input_tokens": 1000000,
 *          "output_tokens": 250000, "tokens": 1250000, "gpu_ms": 0, "gpu_hours": "0",
 *          "cost_per_request": "0.3125", "cost_per_1k_tokens": "0.01",
 *          "cost_per_1m_tokens": "10"}       // per-unit figures null when there is nothing to divide by
 * }</pre>
 *
 * <p>{@link #toJson} returns a mutable {@link ObjectNode}, so callers can add sections of their own
 * (a training run, budget events) before writing it with {@link #write}.
 */
public final class CostReportJson {

  /** The value of {@code "format"}. */
  public static final String FORMAT = "finops.cost_report";

  /** The value of {@code "format_version"}; raised when a key changes meaning or goes away. */
  public static final int FORMAT_VERSION = 1;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectWriter WRITER;

  static {
    Separators separators = Separators.createDefaultInstance()
        .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
        .withObjectEmptySeparator("")
        .withArrayEmptySeparator("");
    DefaultPrettyPrinter printer = new DefaultPrettyPrinter(separators)
        .withObjectIndenter(new DefaultIndenter("  ", "\n"))
        .withArrayIndenter(new DefaultIndenter("  ", "\n"));
    WRITER = new ObjectMapper().writer(printer);
  }

  private CostReportJson() {}

  /** The report as a JSON tree that callers may extend. */
  public static ObjectNode toJson(CostReport report) {
    ObjectNode root = NODES.objectNode();
    root.put("format", FORMAT);
    root.put("format_version", FORMAT_VERSION);
    root.put("taken_at", report.takenAt().toString());
    ArrayNode currencies = root.putArray("currencies");
    for (Currency c : report.currencies()) {
      currencies.add(c.getCurrencyCode());
    }
    if (report.topN() == Integer.MAX_VALUE) {
      root.putNull("top_n");
    } else {
      root.put("top_n", report.topN());
    }
    root.set("total", group(report.total()));
    ObjectNode groupings = root.putObject("groupings");
    for (Grouping g : report.groupings()) {
      groupings.set(g.name(), grouping(g));
    }
    ObjectNode unpriced = root.putObject("unpriced");
    UnpricedGroup total = report.unpricedTotal();
    unpriced.put("records", total.records());
    unpriced.set("quantities", quantities(total.quantities()));
    ArrayNode byResource = unpriced.putArray("by_resource");
    for (UnpricedGroup u : report.unpricedByResource()) {
      ObjectNode n = byResource.addObject();
      n.put("name", u.name());
      n.put("records", u.records());
      n.set("quantities", quantities(u.quantities()));
    }
    return root;
  }

  /** The report as pretty-printed JSON ({@code "key": value}, two-space indent, {@code '\n'} line ends). */
  public static String render(CostReport report) {
    return write(toJson(report));
  }

  /** Any JSON tree, pretty-printed as {@link #render} does (two-space indent, {@code '\n'} line ends). */
  public static String write(JsonNode node) {
    try {
      return WRITER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One group: {@code {"name", "lines", "unpriced_records"}}. */
  public static ObjectNode group(Group g) {
    ObjectNode n = NODES.objectNode();
    n.put("name", g.name());
    n.set("lines", lines(g));
    n.put("unpriced_records", g.unpricedRecords());
    return n;
  }

  /** One priced line, in the shape documented on the class. */
  public static ObjectNode line(Line l) {
    ObjectNode n = NODES.objectNode();
    n.put("currency", l.currency().getCurrencyCode());
    n.put("cost", l.cost().toPlainString());
    n.put("requests", l.requests());
    n.put("input_tokens", l.inputTokens());
    n.put("output_tokens", l.outputTokens());
    n.put("tokens", l.tokens());
    n.put("gpu_ms", l.gpuMillis());
    n.put("gpu_hours", l.gpuHoursPlain());
    n.put("cost_per_request", amount(l.costPerRequest()));
    n.put("cost_per_1k_tokens", amount(l.costPer1kTokens()));
    n.put("cost_per_1m_tokens", amount(l.costPer1mTokens()));
    return n;
  }

  private static ArrayNode lines(Group g) {
    ArrayNode a = NODES.arrayNode();
    for (Line l : g.lines()) {
      a.add(line(l));
    }
    return a;
  }

  private static ObjectNode grouping(Grouping g) {
    ObjectNode n = NODES.objectNode();
    n.put("group_count", g.groupCount());
    ArrayNode groups = n.putArray("groups");
    for (Group grp : g.groups()) {
      groups.add(group(grp));
    }
    if (g.others() == null) {
      n.putNull("others");
    } else {
      ObjectNode o = n.putObject("others");
      o.put("count", g.othersCount());
      o.set("lines", lines(g.others()));
      o.put("unpriced_records", g.others().unpricedRecords());
    }
    ArrayNode only = n.putArray("unpriced_only");
    for (String name : g.unpricedOnly()) {
      only.add(name);
    }
    return n;
  }

  private static ObjectNode quantities(Map<UsageBucket, Long> q) {
    ObjectNode n = NODES.objectNode();
    q.forEach((b, v) -> n.put(b.jsonName(), v));
    return n;
  }

  private static String amount(Money m) {
    return m == null ? null : m.toPlainString();
  }
}

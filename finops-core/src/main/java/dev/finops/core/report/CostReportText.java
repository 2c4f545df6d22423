package dev.finops.core.report;

import dev.finops.core.Money;
import dev.finops.core.UsageBucket;
import dev.finops.core.report.CostReport.Group;
import dev.finops.core.report.CostReport.Grouping;
import dev.finops.core.report.CostReport.Line;
import dev.finops.core.report.CostReport.UnpricedGroup;
import dev.finops.core.report.TextTable.Column;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A {@link CostReport} as plain text for a terminal or a log: a header, then a section per grouping,
 * each an aligned {@link TextTable} (names left, numbers right, a dashed underline under the
 * header), then any sections the caller added, then an "Unpriced usage" section when some usage had
 * no price. Not thread-safe.
 *
 * <p>Presentation scale: amounts (costs) and GPU-hours are rounded {@link
 * java.math.RoundingMode#HALF_EVEN HALF_EVEN} to {@value CostReport#TOTAL_SCALE} places, per-unit
 * figures (cost per request, per 1k tokens, per 1M tokens) HALF_EVEN to {@value
 * CostReport#PER_UNIT_SCALE} places, as the header line says ({@value #SCALE_NOTE}); counts are
 * whole numbers with {@code ,} between thousands. A per-unit figure with nothing to divide by shows
 * {@value #NONE}. When the report holds one currency the cost column names it; with several, a
 * currency column is added and a group has one row per currency. Unpriced usage never appears as a
 * cost: a group with some is marked {@value #UNPRICED_MARK}, and groups with only unpriced usage are
 * listed under their table.
 *
 * <pre>{@code
 * String text = CostReportText.of(report)
 *     .addSection("Training run", runTable)   // a TextTable of the caller's
 *     .render();
 * }</pre>
 */
public final class CostReportText {

  /** What the header says about rounding. */
  public static final String SCALE_NOTE = "amounts rounded half-even to " + CostReport.TOTAL_SCALE
      + " places; per-unit to " + CostReport.PER_UNIT_SCALE;

  /** Shown for a per-unit figure with no requests or tokens to divide by. */
  public static final String NONE = "-";

  /** Appended to the name of a group that also has unpriced usage. */
  public static final String UNPRICED_MARK = " *";

  /** The title of the section of unpriced usage. */
  public static final String UNPRICED_TITLE = "Unpriced usage (quantities with no price; not counted as cost)";

  private static final String UNTAGGED = "(none)";

  private final CostReport report;
  private final List<String[]> extraSections = new ArrayList<>(); // {title, body}

  private CostReportText(CostReport report) {
    this.report = Objects.requireNonNull(report, "report");
  }

  /** A text rendering of {@code report} that sections can be added to. */
  public static CostReportText of(CostReport report) {
    return new CostReportText(report);
  }

  /** The report as text, with no extra sections. */
  public static String render(CostReport report) {
    return of(report).render();
  }

  /** Adds a section with a table, after the groupings and before the unpriced usage. */
  public CostReportText addSection(String title, TextTable table) {
    return addSection(title, table.render());
  }

  /** Adds a section of free text (lines ended by {@code '\n'} or not), after the groupings. */
  public CostReportText addSection(String title, String body) {
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(body, "body");
    extraSections.add(new String[] {title, body.isEmpty() || body.endsWith("\n") ? body : body + "\n"});
    return this;
  }

  /** The whole text, lines ended by {@code '\n'}, sections separated by an empty line. */
  public String render() {
    StringBuilder sb = new StringBuilder();
    sb.append("finops cost report, snapshot taken ").append(report.takenAt()).append('\n');
    List<Currency> currencies = report.currencies();
    sb.append(SCALE_NOTE).append("; ").append(currencies.isEmpty() ? "no priced usage"
        : (currencies.size() == 1 ? "currency " : "currencies ")
            + currencies.stream().map(Currency::getCurrencyCode).collect(Collectors.joining(", ")))
        .append('\n');

    TextTable total = costTable("");
    addRows(total, "total", report.total());
    section(sb, "Total", total.render());

    for (Grouping g : report.groupings()) {
      section(sb, groupingTitle(g), groupingBody(g));
    }
    for (String[] s : extraSections) {
      section(sb, s[0], s[1]);
    }
    if (report.hasUnpriced()) {
      section(sb, UNPRICED_TITLE, unpricedTable().render());
    }
    return sb.toString();
  }

  private static void section(StringBuilder sb, String title, String body) {
    sb.append('\n').append(title).append('\n').append(body);
  }

  private static String groupingTitle(Grouping g) {
    String title = "By " + g.name();
    if (g.others() != null) {
      title += " (top " + g.groups().size() + " of " + g.groupCount() + ")";
    }
    return title;
  }

  private String groupingBody(Grouping g) {
    StringBuilder sb = new StringBuilder();
    if (g.groupCount() == 0) {
      sb.append("(no priced usage)\n");
    } else {
      TextTable t = costTable(g.name());
      boolean marked = false;
      for (Group grp : g.groups()) {
        String name = grp.name() == null ? UNTAGGED : grp.name();
        if (grp.unpricedRecords() > 0) {
          name += UNPRICED_MARK;
          marked = true;
        }
        addRows(t, name, grp);
      }
      if (g.others() != null) {
        addRows(t, "(" + g.othersCount() + (g.othersCount() == 1 ? " other)" : " others)"), g.others());
      }
      sb.append(t.render());
      if (marked) {
        sb.append(UNPRICED_MARK.trim()).append(" also has unpriced usage, not in its cost (see Unpriced usage)\n");
      }
    }
    if (!g.unpricedOnly().isEmpty()) {
      sb.append("unpriced usage only, no cost: ").append(g.unpricedOnly().stream()
          .map(n -> n == null ? UNTAGGED : n).collect(Collectors.joining(", "))).append('\n');
    }
    return sb.toString();
  }

  private TextTable costTable(String nameHeader) {
    List<Column> cols = new ArrayList<>();
    cols.add(Column.left(nameHeader));
    List<Currency> currencies = report.currencies();
    boolean multi = currencies.size() > 1;
    if (multi) {
      cols.add(Column.left("currency"));
    }
    cols.add(Column.right(currencies.size() == 1 ? "cost " + currencies.get(0).getCurrencyCode() : "cost"));
    cols.add(Column.right("requests"));
    cols.add(Column.right("tokens in"));
    cols.add(Column.right("tokens out"));
    cols.add(Column.right("GPU-hours"));
    cols.add(Column.right("cost/request"));
    cols.add(Column.right("cost/1k tokens"));
    cols.add(Column.right("cost/1M tokens"));
    return TextTable.of(cols);
  }

  private void addRows(TextTable t, String name, Group group) {
    boolean multi = report.currencies().size() > 1;
    for (Line l : group.lines()) {
      List<String> row = new ArrayList<>();
      row.add(name);
      if (multi) {
        row.add(l.currency().getCurrencyCode());
      }
      row.add(l.cost().amount(CostReport.TOTAL_SCALE).toPlainString());
      row.add(count(l.requests()));
      row.add(count(l.inputTokens()));
      row.add(count(l.outputTokens()));
      row.add(l.gpuHours(CostReport.TOTAL_SCALE).toPlainString());
      row.add(perUnit(l.costPerRequest()));
      row.add(perUnit(l.costPer1kTokens()));
      row.add(perUnit(l.costPer1mTokens()));
      t.addRow(row);
    }
  }

  private TextTable unpricedTable() {
    UnpricedGroup total = report.unpricedTotal();
    List<UsageBucket> buckets = new ArrayList<>(total.quantities().keySet());
    List<Column> cols = new ArrayList<>();
    cols.add(Column.left(CostReport.RESOURCE));
    cols.add(Column.right("requests"));
    for (UsageBucket b : buckets) {
      cols.add(Column.right(b.isToken() ? b.jsonName() + " tokens" : b.jsonName() + " (" + b.unit().baseName() + ")"));
    }
    TextTable t = TextTable.of(cols);
    for (UnpricedGroup u : report.unpricedByResource()) {
      t.addRow(unpricedRow(u, buckets));
    }
    t.addRule();
    t.addRow(unpricedRow(total, buckets));
    return t;
  }

  private static List<String> unpricedRow(UnpricedGroup u, List<UsageBucket> buckets) {
    List<String> row = new ArrayList<>();
    row.add(u.name());
    row.add(count(u.records()));
    for (UsageBucket b : buckets) {
      row.add(count(u.quantity(b)));
    }
    return row;
  }

  private static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  private static String perUnit(Money m) {
    return m == null ? NONE : m.amount(CostReport.PER_UNIT_SCALE).toPlainString();
  }
}

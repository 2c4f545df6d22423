package dev.finops.spring.boot;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finops.core.FinOps;
import dev.finops.core.Money;
import dev.finops.core.budget.BudgetManager;
import dev.finops.core.budget.BudgetStatus;
import dev.finops.core.report.CostReport;
import dev.finops.core.report.CostReportJson;
import java.time.Instant;
import java.util.Objects;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code GET /actuator/finops}: the cost report of everything recorded since start-up, in the JSON of
 * {@link CostReportJson} (what {@code finops demo --json} prints: {@code total.lines[].cost}, the
 * groupings, the unpriced usage), plus {@code "budgets"}: each window of each budget with its period,
 * limit, spend, open reservations and what remains, amounts as exact decimal strings.
 */
@Endpoint(id = "finops")
public class FinOpsEndpoint {
  private final FinOps finops;
  private final BudgetManager budgets;

  public FinOpsEndpoint(FinOps finops, BudgetManager budgets) {
    this.finops = Objects.requireNonNull(finops, "finops");
    this.budgets = budgets;
  }

  @ReadOperation
  public ObjectNode report() {
    ObjectNode report = CostReportJson.toJson(CostReport.of(finops.snapshot()));
    ArrayNode list = report.putArray("budgets");
    if (budgets != null) {
      for (BudgetStatus s : budgets.statuses()) {
        ObjectNode b = list.addObject();
        b.put("scope", s.scope());
        b.put("window", s.window().toString());
        b.put("period_start", instant(s.periodStart()));
        b.put("period_end", instant(s.periodEnd()));
        b.put("currency", s.limit().currency().getCurrencyCode());
        b.put("limit", plain(s.limit()));
        b.put("spent", plain(s.spent()));
        b.put("reserved", plain(s.reserved()));
        b.put("remaining", plain(s.remaining()));
        b.put("used_fraction", s.usedFraction() == null ? null : s.usedFraction().toPlainString());
      }
    }
    return report;
  }

  private static String plain(Money m) {
    return m == null ? null : m.toPlainString();
  }

  private static String instant(Instant i) {
    return i == null ? null : i.toString();
  }

}

/** Cost reports over a ledger snapshot: the {@link dev.finops.core.report.CostReport} model (totals, groupings, top N, unpriced usage)
 * and its renderings as JSON ({@link dev.finops.core.report.CostReportJson}) and as aligned text ({@link dev.finops.core.report.CostReportText}, {@link dev.finops.core.report.TextTable}). */
package dev.finops.core.report;

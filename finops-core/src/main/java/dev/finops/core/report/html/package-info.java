/**
 * A cost report as one self-contained HTML page ({@link dev.finops.core.report.html.HtmlReport}):
 * inline SVG charts and CSS, no script, nothing fetched from the network, and a data table behind
 * every chart. {@link dev.finops.core.report.html.ReportSections} builds the optional JSON sections
 * the time charts read (spend over time, a run's cumulative cost, a distribution of amounts).
 */
package dev.finops.core.report.html;

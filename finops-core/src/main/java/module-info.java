/**
 * finops-core: exact money, usage buckets, price catalogs, pricing, the ledger, budgets, training
 * runs, allocation, reports and FOCUS export. Every package is API except {@code dev.finops.core.internal}
 * (shared parsing and decimal helpers), which no other module may use.
 */
module dev.finops.core {
  // JsonNode and ObjectNode appear in the report API (CostReportJson, ReportSections, HtmlReport).
  requires transitive com.fasterxml.jackson.databind;
  requires com.github.benmanes.caffeine;
  requires org.slf4j;
  requires transitive java.net.http; // HttpClient in the spot-interruption probes' API

  exports dev.finops.core;
  exports dev.finops.core.allocation;
  exports dev.finops.core.budget;
  exports dev.finops.core.catalog;
  exports dev.finops.core.export;
  exports dev.finops.core.gpu;
  exports dev.finops.core.journal;
  exports dev.finops.core.ledger;
  exports dev.finops.core.pricing;
  exports dev.finops.core.report;
  exports dev.finops.core.report.html;
  exports dev.finops.core.spot;
  exports dev.finops.core.training;
}

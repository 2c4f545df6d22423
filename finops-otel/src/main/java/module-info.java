/**
 * finops-otel: cost metrics, span cost attributes and the cost span exporter on the OpenTelemetry API.
 * The SDK is optional: only {@code CostSpanExporter} and the span processor need it, and an application
 * that uses them has it.
 */
module dev.finops.otel {
  requires transitive dev.finops.core;
  requires transitive io.opentelemetry.api;
  requires transitive io.opentelemetry.context;
  requires static io.opentelemetry.sdk.trace;
  requires static io.opentelemetry.sdk.common;
  requires org.slf4j;

  exports dev.finops.otel;
}

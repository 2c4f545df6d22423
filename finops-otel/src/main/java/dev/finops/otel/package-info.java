/**
 * finops on OpenTelemetry: {@link dev.finops.otel.FinOpsTelemetry} puts usage and exact cost on
 * inference spans, cost and token metrics on the Meter API, and wraps {@link
 * dev.finops.otel.CostTracked} handlers; {@link dev.finops.otel.CostSpanExporter} (needs the SDK)
 * prices other instrumentations' GenAI spans. Depends on {@code opentelemetry-api} only.
 */
package dev.finops.otel;

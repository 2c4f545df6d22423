/**
 * The finops Spring Boot starter: auto-configuration of {@link dev.finops.core.FinOps}, budgets,
 * {@link dev.finops.otel.FinOpsTelemetry}, Spring AI pricing, {@code @CostTracked} beans, request
 * tags, Micrometer metrics and the {@code finops} actuator endpoint from {@code finops.*} properties.
 */
package dev.finops.spring.boot;

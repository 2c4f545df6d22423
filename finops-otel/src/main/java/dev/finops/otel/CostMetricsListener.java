package dev.finops.otel;

import dev.finops.core.Tags;
import dev.finops.core.Usage;
import dev.finops.core.pricing.PricedUsage;

/**
 * Receives what {@link FinOpsTelemetry} puts on its OpenTelemetry instruments, for another metrics
 * system beside them (the Spring Boot starter binds Micrometer with the same names). Called on the
 * recording thread for every accounted call: implementations must be thread-safe, fast and must not
 * throw.
 */
public interface CostMetricsListener {

  /** A priced call under {@code tags} (the {@code finops.cost.nanos} and {@code finops.request.cost} record). */
  void cost(Tags tags, PricedUsage priced);

  /** A call that could not be priced ({@code finops.usage.unpriced}). */
  void unpriced(Tags tags);

  /**
   * The tokens of a call ({@code gen_ai.client.token.usage}); {@code provider} is the conventions'
   * name ({@code gen_ai.provider.name}), any argument but {@code operation} and {@code usage} may be
   * {@code null}.
   */
  void tokens(String operation, String provider, String requestModel, String responseModel, Usage usage);
}

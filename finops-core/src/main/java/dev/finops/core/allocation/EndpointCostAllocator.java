package dev.finops.core.allocation;

import dev.finops.core.Money;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Splits the GPU cost of a self-hosted inference endpoint over a window among the requests it served
 * in that window, so that the request costs add up exactly to the endpoint cost. Immutable and
 * thread-safe: configure one with the factories and {@code with…} methods, then share it.
 *
 * <p><b>Weights.</b> Each request gets a weight ({@link #weightOf}):
 *
 * <ul>
 *   <li>{@link #byTokens()}: input plus output tokens;
 *   <li>{@link #byTokens(long, long) byTokens(1, 4)}: {@code input × 1 + output × 4}, for endpoints
 *       where a generated token costs more GPU time than a prompt token;
 *   <li>{@link #byComplexity()}: the caller's {@link EndpointRequest#withComplexity complexity weight},
 *       which every request must then carry.
 * </ul>
 *
 * <p><b>Units and rounding.</b> The cost is split with {@link Allocation} in units of {@code
 * 10^-scale} of the currency (default {@value Allocation#DEFAULT_SCALE}; {@link #withScale
 * withScale(2)} for cents). The total is expressed in the smallest unit once (rounded HALF_EVEN
 * when the cost has more decimals or does not terminate); the request costs then add up to it
 * exactly, by largest remainder with ties to the earlier request. Requests whose weights are all
 * zero (no tokens at all) share the cost evenly. See {@link EndpointAllocation} for the derived
 * figures and their scale.
 */
public final class EndpointCostAllocator {

  /** Decimal places of the derived ratios unless {@link #withRatioScale} says otherwise. */
  public static final int DEFAULT_RATIO_SCALE = 12;

  private final boolean byComplexity;
  private final BigDecimal inputWeight;
  private final BigDecimal outputWeight;
  private final Allocation allocation;
  private final int ratioScale;

  private EndpointCostAllocator(
      boolean byComplexity, BigDecimal inputWeight, BigDecimal outputWeight, Allocation allocation, int ratioScale) {
    this.byComplexity = byComplexity;
    this.inputWeight = inputWeight;
    this.outputWeight = outputWeight;
    this.allocation = allocation;
    this.ratioScale = ratioScale;
  }

  /** Weights each request by its input plus output tokens. */
  public static EndpointCostAllocator byTokens() {
    return byTokens(BigDecimal.ONE, BigDecimal.ONE);
  }

  /**
   * Weights each request by {@code input tokens × inputWeight + output tokens × outputWeight}.
   *
   * @throws IllegalArgumentException if a weight is negative or both are zero
   */
  public static EndpointCostAllocator byTokens(long inputWeight, long outputWeight) {
    return byTokens(BigDecimal.valueOf(inputWeight), BigDecimal.valueOf(outputWeight));
  }

  /**
   * Weights each request by {@code input tokens × inputWeight + output tokens × outputWeight}, with
   * decimal multipliers (0.25 per prompt token, 1 per generated token).
   *
   * @throws IllegalArgumentException if a weight is negative or both are zero
   */
  public static EndpointCostAllocator byTokens(BigDecimal inputWeight, BigDecimal outputWeight) {
    Objects.requireNonNull(inputWeight, "inputWeight");
    Objects.requireNonNull(outputWeight, "outputWeight");
    if (inputWeight.signum() < 0) {
      throw new IllegalArgumentException("inputWeight must not be negative: " + inputWeight.toPlainString());
    }
    if (outputWeight.signum() < 0) {
      throw new IllegalArgumentException("outputWeight must not be negative: " + outputWeight.toPlainString());
    }
    if (inputWeight.signum() == 0 && outputWeight.signum() == 0) {
      throw new IllegalArgumentException("inputWeight and outputWeight must not both be zero");
    }
    return new EndpointCostAllocator(false, inputWeight, outputWeight, Allocation.DEFAULT, DEFAULT_RATIO_SCALE);
  }

  /** Weights each request by its caller-supplied {@link EndpointRequest#complexity() complexity}. */
  public static EndpointCostAllocator byComplexity() {
    return new EndpointCostAllocator(true, null, null, Allocation.DEFAULT, DEFAULT_RATIO_SCALE);
  }

  /**
   * This allocator splitting in units of {@code 10^-scale} of the currency (2 for cents).
   *
   * @throws IllegalArgumentException if the scale is negative
   */
  public EndpointCostAllocator withScale(int scale) {
    return new EndpointCostAllocator(byComplexity, inputWeight, outputWeight, Allocation.atScale(scale), ratioScale);
  }

  /**
   * This allocator deriving its ratios at {@code ratioScale} decimal places.
   *
   * @throws IllegalArgumentException if the scale is negative
   */
  public EndpointCostAllocator withRatioScale(int ratioScale) {
    if (ratioScale < 0) {
      throw new IllegalArgumentException("ratioScale must not be negative: " + ratioScale);
    }
    return new EndpointCostAllocator(byComplexity, inputWeight, outputWeight, allocation, ratioScale);
  }

  /** Decimal places of the smallest unit request costs are expressed in. */
  public int scale() {
    return allocation.scale();
  }

  /** Decimal places of the derived ratios. */
  public int ratioScale() {
    return ratioScale;
  }

  /**
   * The weight this allocator gives {@code request}; only its ratio to the other requests' weights
   * matters.
   *
   * @throws IllegalArgumentException naming the request if allocating by complexity and it has none
   */
  public BigDecimal weightOf(EndpointRequest request) {
    Objects.requireNonNull(request, "request");
    if (byComplexity) {
      return request.complexity().orElseThrow(() -> new IllegalArgumentException(
          "request '" + request.id() + "' has no complexity weight to allocate by"));
    }
    return BigDecimal.valueOf(request.inputTokens()).multiply(inputWeight)
        .add(BigDecimal.valueOf(request.outputTokens()).multiply(outputWeight));
  }

  /**
   * Splits {@code endpointCost} (the endpoint's GPU cost over the window) among {@code requests}.
   * The request costs, in the returned order, add up exactly to the cost rounded once to the unit;
   * this is checked before returning.
   *
   * @throws IllegalArgumentException if the cost is negative, there are no requests (an idle window's
   *     cost has no request to go to), two requests share an id, or a request lacks the complexity
   *     weight allocation by complexity needs
   */
  public EndpointAllocation allocate(Money endpointCost, List<EndpointRequest> requests) {
    Objects.requireNonNull(endpointCost, "endpointCost");
    Objects.requireNonNull(requests, "requests");
    if (requests.isEmpty()) {
      throw new IllegalArgumentException("no requests to allocate the endpoint cost " + endpointCost + " to");
    }
    List<EndpointRequest> copy = new ArrayList<>(requests.size());
    List<BigDecimal> weights = new ArrayList<>(requests.size());
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < requests.size(); i++) {
      EndpointRequest r = requests.get(i);
      if (r == null) {
        throw new NullPointerException("requests[" + i + "] is null");
      }
      if (!ids.add(r.id())) {
        throw new IllegalArgumentException("request id '" + r.id() + "' appears more than once");
      }
      copy.add(r);
      weights.add(weightOf(r));
    }
    BigInteger[] units = allocation.splitUnits(endpointCost, Allocation.integerWeights(weights));
    return new EndpointAllocation(endpointCost, allocation, ratioScale, copy, weights, units);
  }

  @Override
  public String toString() {
    String basis = byComplexity ? "complexity"
        : "tokens(input×" + inputWeight.toPlainString() + ", output×" + outputWeight.toPlainString() + ")";
    return "EndpointCostAllocator{" + basis + ", scale=" + scale() + ", ratioScale=" + ratioScale + "}";
  }
}

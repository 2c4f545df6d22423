package dev.finops.core.allocation;

import dev.finops.core.Money;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An endpoint's cost split over its requests by {@link EndpointCostAllocator}, with figures derived
 * from it. Immutable and thread-safe.
 *
 * <p><b>Conservation.</b> Every request cost is a whole number of units of {@code 10^-}{@link
 * #scale()}; they add up exactly to {@link #allocatedTotal()}, the endpoint cost rounded HALF_EVEN
 * to that unit once. An instance that would break this is never created. {@link
 * #roundingResidual()} is the endpoint cost minus that total, less than half a unit either way.
 *
 * <p><b>Derived figures.</b> The ratios are computed from the allocated total and the exact counts,
 * with one HALF_EVEN rounding to {@link #ratioScale()} decimal places; they are {@code null} where
 * the divisor is zero. Amounts are in units of the currency (dollars for USD, not cents).
 *
 * <ul>
 *   <li>{@link #costPerRequest()}: the mean cost of a request;
 *   <li>{@link #costPer1kTokens()}: cost per 1,000 tokens, input plus output as counted (not
 *       weighted);
 *   <li>{@link #requestsPerCurrencyUnit()}: requests served per one unit of currency;
 *   <li>{@link #latencyMillisPerCurrencyUnit()}: milliseconds of request latency per unit of
 *       currency, over the requests that report a latency (see there).
 * </ul>
 */
public final class EndpointAllocation {

  /** One request and its share of the endpoint cost. Immutable. */
  public static final class RequestCost {
    private final EndpointRequest request;
    private final BigDecimal weight;
    private final Money cost;

    RequestCost(EndpointRequest request, BigDecimal weight, Money cost) {
      this.request = request;
      this.weight = weight;
      this.cost = cost;
    }

    public EndpointRequest request() {
      return request;
    }

    /** The weight it was allocated by (tokens, weighted tokens or complexity). */
    public BigDecimal weight() {
      return weight;
    }

    /** Its share: a whole number of units, at the allocation's scale. */
    public Money cost() {
      return cost;
    }

    @Override
    public String toString() {
      return request.id() + "=" + cost;
    }
  }

  private final Money endpointCost;
  private final Money allocatedTotal;
  private final int scale;
  private final int ratioScale;
  private final List<RequestCost> requests;
  private final Map<String, RequestCost> byId;
  private final BigInteger inputTokens; // sums are kept exact: they may exceed a long
  private final BigInteger outputTokens;
  private final BigInteger latencyMillis;
  private final long latencyRequests;
  private final BigDecimal latencyCost; // allocated cost of the requests that report a latency

  EndpointAllocation(
      Money endpointCost,
      Allocation allocation,
      int ratioScale,
      List<EndpointRequest> requests,
      List<BigDecimal> weights,
      BigInteger[] units) {
    this.endpointCost = endpointCost;
    this.scale = allocation.scale();
    this.ratioScale = ratioScale;
    this.allocatedTotal = allocation.roundToUnit(endpointCost);
    List<RequestCost> out = new ArrayList<>(requests.size());
    Map<String, RequestCost> index = new LinkedHashMap<>();
    BigInteger unitSum = BigInteger.ZERO;
    BigInteger latencyUnits = BigInteger.ZERO;
    BigInteger in = BigInteger.ZERO;
    BigInteger outTokens = BigInteger.ZERO;
    BigInteger latency = BigInteger.ZERO;
    long latencyCount = 0;
    for (int i = 0; i < requests.size(); i++) {
      EndpointRequest r = requests.get(i);
      Money cost = Money.of(new BigDecimal(units[i], scale), endpointCost.currency());
      RequestCost rc = new RequestCost(r, weights.get(i), cost);
      out.add(rc);
      index.put(r.id(), rc);
      unitSum = unitSum.add(units[i]);
      in = in.add(BigInteger.valueOf(r.inputTokens()));
      outTokens = outTokens.add(BigInteger.valueOf(r.outputTokens()));
      if (r.latencyMillis().isPresent()) {
        latency = latency.add(BigInteger.valueOf(r.latencyMillis().getAsLong()));
        latencyCount++;
        latencyUnits = latencyUnits.add(units[i]);
      }
    }
    BigInteger expected = allocation.units(endpointCost);
    if (!unitSum.equals(expected)) { // cannot happen with largest-remainder apportionment
      throw new IllegalStateException(
          "allocation does not conserve cost: parts add up to " + unitSum + " units, expected " + expected);
    }
    this.requests = Collections.unmodifiableList(out);
    this.byId = Collections.unmodifiableMap(index);
    this.inputTokens = in;
    this.outputTokens = outTokens;
    this.latencyMillis = latency;
    this.latencyRequests = latencyCount;
    this.latencyCost = new BigDecimal(latencyUnits, scale);
  }

  /** The endpoint cost as given, exact. */
  public Money endpointCost() {
    return endpointCost;
  }

  /** The endpoint cost rounded HALF_EVEN once to the unit: exactly the sum of the request costs. */
  public Money allocatedTotal() {
    return allocatedTotal;
  }

  /** {@link #endpointCost()} minus {@link #allocatedTotal()}: exact, under half a unit either way. */
  public Money roundingResidual() {
    return endpointCost.minus(allocatedTotal);
  }

  /** Decimal places of the unit request costs are expressed in. */
  public int scale() {
    return scale;
  }

  /** Decimal places of the derived ratios. */
  public int ratioScale() {
    return ratioScale;
  }

  /** The requests with their costs, in the order given. */
  public List<RequestCost> requests() {
    return requests;
  }

  /** The cost of the request with this id. */
  public Optional<Money> costOf(String requestId) {
    RequestCost rc = byId.get(requestId);
    return rc == null ? Optional.empty() : Optional.of(rc.cost);
  }

  /**
   * Recomputes the sum of the request costs and compares it, exactly, with {@link #allocatedTotal()};
   * always true (the allocator checks it before returning), exposed for callers that audit.
   */
  public boolean isConserved() {
    Money sum = Money.zero(endpointCost.currency());
    for (RequestCost rc : requests) {
      sum = sum.plus(rc.cost);
    }
    return sum.equals(allocatedTotal);
  }

  public long requestCount() {
    return requests.size();
  }

  /**
   * Input tokens of all requests.
   *
   * @throws ArithmeticException if the sum exceeds a long (the ratios still use it exactly)
   */
  public long inputTokens() {
    return inputTokens.longValueExact();
  }

  /**
   * Output tokens of all requests.
   *
   * @throws ArithmeticException if the sum exceeds a long (the ratios still use it exactly)
   */
  public long outputTokens() {
    return outputTokens.longValueExact();
  }

  /**
   * Input plus output tokens of all requests.
   *
   * @throws ArithmeticException if the sum exceeds a long (the ratios still use it exactly)
   */
  public long totalTokens() {
    return inputTokens.add(outputTokens).longValueExact();
  }

  /**
   * Sum of the latencies of the requests that report one, in milliseconds.
   *
   * @throws ArithmeticException if the sum exceeds a long (the ratios still use it exactly)
   */
  public long totalLatencyMillis() {
    return latencyMillis.longValueExact();
  }

  /** How many requests report a latency. */
  public long latencyRequestCount() {
    return latencyRequests;
  }

  /** Allocated total ÷ requests: the mean request cost, in currency units; never {@code null}. */
  public BigDecimal costPerRequest() {
    return ratio(allocatedTotal.exactAmount(), BigDecimal.valueOf(requests.size()));
  }

  /** Allocated total × 1,000 ÷ (input + output tokens), in currency units; {@code null} with no tokens. */
  public BigDecimal costPer1kTokens() {
    return ratio(allocatedTotal.exactAmount().scaleByPowerOfTen(3), new BigDecimal(inputTokens.add(outputTokens)));
  }

  /** Requests ÷ allocated total: requests served per one unit of currency; {@code null} at zero cost. */
  public BigDecimal requestsPerCurrencyUnit() {
    return ratio(BigDecimal.valueOf(requests.size()), allocatedTotal.exactAmount());
  }

  /**
   * Latency bought per unit of currency: the summed latency, in milliseconds, of the requests that
   * report one, divided by the allocated cost of those same requests. It reads "each dollar paid for
   * this many milliseconds of request service time"; a higher figure means cheaper time. Requests
   * overlap on a batching endpoint, so it can exceed the window's wall-clock milliseconds per dollar.
   * Requests without a latency are left out of both sides, so a partial report does not skew it.
   *
   * @return HALF_EVEN at {@link #ratioScale()}; {@code null} when no request reports a latency or
   *     their cost is zero
   */
  public BigDecimal latencyMillisPerCurrencyUnit() {
    if (latencyRequests == 0) {
      return null;
    }
    return ratio(new BigDecimal(latencyMillis), latencyCost);
  }

  private BigDecimal ratio(BigDecimal numerator, BigDecimal denominator) {
    if (denominator.signum() == 0) {
      return null;
    }
    return numerator.divide(denominator, ratioScale, RoundingMode.HALF_EVEN);
  }

  @Override
  public String toString() {
    return "EndpointAllocation{" + allocatedTotal + " over " + requests.size() + " requests}";
  }
}

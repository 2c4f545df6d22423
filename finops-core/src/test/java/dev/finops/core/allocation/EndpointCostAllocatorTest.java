package dev.finops.core.allocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finops.core.Money;
import dev.finops.core.allocation.EndpointAllocation.RequestCost;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("EndpointCostAllocator conserves an endpoint's cost exactly")
class EndpointCostAllocatorTest {

  private static EndpointRequest req(String id, long in, long out) {
    return EndpointRequest.of(id, in, out);
  }

  private static List<Money> costs(EndpointAllocation a) {
    return a.requests().stream().map(RequestCost::cost).toList();
  }

  private static Money sum(EndpointAllocation a) {
    return costs(a).stream().reduce(Money.zero(a.endpointCost().currency()), Money::plus);
  }

  @Nested
  class Weighting {

    @Test
    void tenDollarsOverThreeEqualRequestsAtThePicoUnit() {
      List<EndpointRequest> requests = List.of(req("a", 100, 50), req("b", 120, 30), req("c", 0, 150));

      EndpointAllocation a = EndpointCostAllocator.byTokens().allocate(Money.usd("10"), requests);

      assertThat(costs(a)).containsExactly(
          Money.usd("3.333333333334"), Money.usd("3.333333333333"), Money.usd("3.333333333333"));
      assertThat(sum(a)).isEqualTo(Money.usd("10"));
      assertThat(a.allocatedTotal()).isEqualTo(Money.usd("10"));
      assertThat(a.isConserved()).isTrue();
      assertThat(a.roundingResidual().isZero()).isTrue();
      assertThat(a.scale()).isEqualTo(12);
    }

    @Test
    void inCents() {
      List<EndpointRequest> requests = List.of(req("a", 1, 0), req("b", 0, 1), req("c", 1, 0));

      EndpointAllocation a = EndpointCostAllocator.byTokens().withScale(2).allocate(Money.usd("10"), requests);

      assertThat(costs(a)).containsExactly(Money.usd("3.34"), Money.usd("3.33"), Money.usd("3.33"));
      assertThat(sum(a)).isEqualTo(Money.usd("10"));
    }

    @Test
    void unevenTokensInCents() {
      // 1,500 + 300 + 200 = 2,000 tokens for $1.00: 75, 15 and 10 cents.
      List<EndpointRequest> requests = List.of(req("big", 1000, 500), req("mid", 200, 100), req("small", 150, 50));

      EndpointAllocation a = EndpointCostAllocator.byTokens().withScale(2).allocate(Money.usd("1.00"), requests);

      assertThat(costs(a)).containsExactly(Money.usd("0.75"), Money.usd("0.15"), Money.usd("0.10"));
      assertThat(a.costOf("mid")).contains(Money.usd("0.15"));
      assertThat(a.costOf("nope")).isEmpty();
    }

    @Test
    void outputTokensCanCountSeveralTimes() {
      List<EndpointRequest> requests = List.of(req("prompt-heavy", 100, 0), req("generation-heavy", 0, 100));
      EndpointCostAllocator allocator = EndpointCostAllocator.byTokens(1, 3);

      EndpointAllocation a = allocator.allocate(Money.usd("4"), requests);

      assertThat(costs(a)).containsExactly(Money.usd("1"), Money.usd("3"));
      assertThat(a.requests().get(1).weight()).isEqualByComparingTo("300");
      assertThat(allocator.weightOf(req("x", 10, 10))).isEqualByComparingTo("40");
    }

    @Test
    void decimalTokenMultipliers() {
      EndpointCostAllocator allocator = EndpointCostAllocator.byTokens(new BigDecimal("0.25"), BigDecimal.ONE);

      EndpointAllocation a = allocator.allocate(Money.usd("2"), List.of(req("a", 400, 0), req("b", 0, 100)));

      assertThat(costs(a)).containsExactly(Money.usd("1"), Money.usd("1"));
    }

    @Test
    void byCallerComplexity() {
      List<EndpointRequest> requests = List.of(
          req("a", 1_000, 1_000).withComplexity(1),
          req("b", 1, 1).withComplexity(new BigDecimal("2.0")),
          req("c", 0, 0).withComplexity(5));

      EndpointAllocation a = EndpointCostAllocator.byComplexity().allocate(Money.usd("8"), requests);

      assertThat(costs(a)).containsExactly(Money.usd("1"), Money.usd("2"), Money.usd("5"));
    }

    @Test
    void requestsWithNoTokensAtAllShareEvenly() {
      List<EndpointRequest> requests = List.of(req("a", 0, 0), req("b", 0, 0));

      EndpointAllocation a = EndpointCostAllocator.byTokens().withScale(2).allocate(Money.usd("0.01"), requests);

      assertThat(costs(a)).containsExactly(Money.usd("0.01"), Money.usd("0"));
      assertThat(a.costPer1kTokens()).isNull();
    }

    @Test
    void aNonTerminatingGpuCostIsRoundedOnceAndTheResidualExposed() {
      // $2.50/h for 8 ms = 2.5 × 8 / 3,600,000 = 1/180,000 dollars: does not terminate.
      Money gpu = Money.usd("2.50").times(8).dividedBy(3_600_000L);
      List<EndpointRequest> requests = List.of(req("a", 10, 10), req("b", 10, 10), req("c", 10, 10));

      EndpointAllocation a = EndpointCostAllocator.byTokens().allocate(gpu, requests);

      assertThat(gpu.isTerminating()).isFalse();
      assertThat(a.endpointCost()).isEqualTo(gpu);
      assertThat(a.allocatedTotal()).isEqualTo(Money.usd("0.000005555556"));
      assertThat(sum(a)).isEqualTo(a.allocatedTotal());
      assertThat(costs(a)).containsExactly(
          Money.usd("0.000001851852"), Money.usd("0.000001851852"), Money.usd("0.000001851852"));
      assertThat(a.roundingResidual()).isEqualTo(gpu.minus(Money.usd("0.000005555556")));
      assertThat(a.roundingResidual().negate().compareTo(Money.usd("0.0000000000005"))).isLessThan(0);
    }
  }

  @Nested
  class Figures {

    private final List<EndpointRequest> requests = List.of(
        req("a", 300, 200).withLatencyMillis(1_000),
        req("b", 400, 100),
        req("c", 250, 250).withLatencyMillis(3_000),
        req("d", 500, 0));

    @Test
    void costPerRequestPerThousandTokensRequestsAndLatencyPerDollar() {
      EndpointAllocation a = EndpointCostAllocator.byTokens().allocate(Money.usd("10"), requests);

      assertThat(costs(a)).containsOnly(Money.usd("2.5"));
      assertThat(a.requestCount()).isEqualTo(4);
      assertThat(a.inputTokens()).isEqualTo(1_450);
      assertThat(a.outputTokens()).isEqualTo(550);
      assertThat(a.totalTokens()).isEqualTo(2_000);
      assertThat(a.totalLatencyMillis()).isEqualTo(4_000);
      assertThat(a.latencyRequestCount()).isEqualTo(2);
      assertThat(a.ratioScale()).isEqualTo(12);

      assertThat(a.costPerRequest()).isEqualTo(new BigDecimal("2.500000000000"));
      assertThat(a.costPer1kTokens()).isEqualTo(new BigDecimal("5.000000000000"));
      assertThat(a.requestsPerCurrencyUnit()).isEqualTo(new BigDecimal("0.400000000000"));
      // 4,000 ms of latency over the $5 that requests a and c cost.
      assertThat(a.latencyMillisPerCurrencyUnit()).isEqualTo(new BigDecimal("800.000000000000"));
    }

    @Test
    void ratiosRoundHalfEvenAtTheRatioScale() {
      List<EndpointRequest> three = List.of(req("a", 1, 0), req("b", 1, 0), req("c", 1, 0).withLatencyMillis(2));

      EndpointAllocation a = EndpointCostAllocator.byTokens().withScale(2).withRatioScale(4)
          .allocate(Money.usd("10"), three);

      assertThat(a.costPerRequest()).isEqualTo(new BigDecimal("3.3333"));
      assertThat(a.costPer1kTokens()).isEqualTo(new BigDecimal("3333.3333"));
      assertThat(a.requestsPerCurrencyUnit()).isEqualTo(new BigDecimal("0.3000"));
      assertThat(a.latencyMillisPerCurrencyUnit()).isEqualTo(new BigDecimal("0.6006")); // 2 / 3.33
    }

    @Test
    void ratiosWithAZeroDivisorAreNull() {
      EndpointAllocation free = EndpointCostAllocator.byTokens().allocate(Money.zero(Money.USD), requests);

      assertThat(costs(free)).containsOnly(Money.zero(Money.USD));
      assertThat(free.isConserved()).isTrue();
      assertThat(free.costPerRequest()).isEqualByComparingTo("0");
      assertThat(free.requestsPerCurrencyUnit()).isNull();
      assertThat(free.latencyMillisPerCurrencyUnit()).isNull();

      EndpointAllocation noLatency = EndpointCostAllocator.byTokens().allocate(Money.usd("1"), List.of(req("a", 1, 1)));
      assertThat(noLatency.latencyMillisPerCurrencyUnit()).isNull();
      assertThat(noLatency.totalLatencyMillis()).isZero();
    }
  }

  @Nested
  class Errors {

    private final EndpointCostAllocator tokens = EndpointCostAllocator.byTokens();

    @Test
    void negativeCost() {
      assertThatThrownBy(() -> tokens.allocate(Money.usd("-1"), List.of(req("a", 1, 1))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("amount must not be negative");
    }

    @Test
    void negativeRequestFieldsNameTheField() {
      assertThatThrownBy(() -> req("r1", -1, 0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("request 'r1' field 'input_tokens' must not be negative, got -1");
      assertThatThrownBy(() -> req("r2", 0, -5))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'output_tokens'");
      assertThatThrownBy(() -> req("r3", 0, 0).withLatencyMillis(-1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'latency_ms'");
      assertThatThrownBy(() -> req("r4", 0, 0).withComplexity(new BigDecimal("-0.1")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'complexity'");
      assertThatThrownBy(() -> req(" ", 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void negativeOrAllZeroTokenMultipliers() {
      assertThatThrownBy(() -> EndpointCostAllocator.byTokens(-1, 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("inputWeight");
      assertThatThrownBy(() -> EndpointCostAllocator.byTokens(1, -1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("outputWeight");
      assertThatThrownBy(() -> EndpointCostAllocator.byTokens(0, 0)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> tokens.withScale(-2)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> tokens.withRatioScale(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void noRequestsDuplicateIdsOrMissingComplexity() {
      assertThatThrownBy(() -> tokens.allocate(Money.usd("1"), List.of()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("no requests");
      assertThatThrownBy(() -> tokens.allocate(Money.usd("1"), List.of(req("a", 1, 1), req("a", 2, 2))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'a'");
      List<EndpointRequest> partial = List.of(req("a", 1, 1).withComplexity(1), req("b", 1, 1));
      assertThatThrownBy(() -> EndpointCostAllocator.byComplexity().allocate(Money.usd("1"), partial))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("request 'b' has no complexity weight to allocate by");
    }
  }
}

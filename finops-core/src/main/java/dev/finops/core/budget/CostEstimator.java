package dev.finops.core.budget;

import dev.finops.core.Clock;
import dev.finops.core.Money;
import dev.finops.core.Usage;
import dev.finops.core.UsageBucket;
import dev.finops.core.catalog.BucketPrices;
import dev.finops.core.pricing.BoundModel;
import dev.finops.core.pricing.PriceKey;
import dev.finops.core.pricing.Pricing;
import dev.finops.core.pricing.PricingException;
import dev.finops.core.training.Hardware;
import dev.finops.core.training.TrainingRun;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;

/**
 * Upper-bound cost estimates to reserve before work runs, from the catalogs of a {@link Pricing} at
 * the injected clock's time. Thread-safe. Never throws for an unpriceable model or hardware: it returns
 * {@link Estimate#unknown(String)} and the budgets' {@link UnknownCostPolicy} decides.
 *
 * <ul>
 *   <li><b>LLM call</b> ({@link #llmCall(BoundModel, long, long)}): every input token at the dearest
 *       input-side price of the model (uncached input, cache read, 5-minute and 1-hour cache write:
 *       whichever caching the provider applies, the bill is not higher), plus {@code maxOutputTokens} at
 *       the dearer of the output and reasoning prices, plus the per-request price; with the long-context
 *       tier the input count selects and the standard service tier. This bounds the actual cost of any
 *       call that sends those input tokens and honours {@code max_tokens}.
 *   <li><b>GPU work</b> ({@link #gpu(TrainingRun, Duration)}): the hardware's hourly rate (GPU-hour
 *       price × GPUs) for a slice of time. Energy of on-prem hardware is not in it.
 * </ul>
 *
 * <p>Amounts round UP to the pico-unit.
 */
public final class CostEstimator {
  private static final UsageBucket[] INPUT_SIDE = {
    UsageBucket.INPUT_UNCACHED, UsageBucket.CACHE_READ, UsageBucket.CACHE_WRITE_5M, UsageBucket.CACHE_WRITE_1H
  };
  private static final UsageBucket[] OUTPUT_SIDE = {UsageBucket.OUTPUT, UsageBucket.OUTPUT_REASONING};

  private final Pricing pricing;
  private final Clock clock;

  CostEstimator(Pricing pricing, Clock clock) {
    this.pricing = Objects.requireNonNull(pricing, "pricing");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** An estimator over {@code pricing} at {@code clock}'s time. */
  public static CostEstimator of(Pricing pricing, Clock clock) {
    return new CostEstimator(pricing, clock);
  }

  /**
   * The bound for an LLM call of a model named at call time (resolved through the pricing's cache).
   */
  public Estimate llmCall(String provider, String model, long inputTokens, long maxOutputTokens) {
    BoundModel bound;
    try {
      bound = pricing.bind(provider, model);
    } catch (PricingException unknown) {
      return Estimate.unknown(unknown.getMessage());
    }
    return llmCall(bound, inputTokens, maxOutputTokens);
  }

  /** The bound for a call of a bound model with {@code inputTokens} of prompt and {@code max_tokens}. */
  public Estimate llmCall(BoundModel model, long inputTokens, long maxOutputTokens) {
    if (inputTokens < 0 || maxOutputTokens < 0) {
      throw new IllegalArgumentException("token counts must not be negative: input " + inputTokens
          + ", max output " + maxOutputTokens);
    }
    Usage shape = Usage.ofTokens(inputTokens, maxOutputTokens);
    PriceKey key = model.key(shape, clock.wallTimeMillis());
    BucketPrices rates = key.rates();
    if (rates == null || key.kind() == PriceKey.Kind.UNPRICED) {
      return Estimate.unknown("no price for model '" + model.model() + "'"
          + (model.provider() == null ? "" : " of provider '" + model.provider() + "'"));
    }
    BigDecimal inPrice = dearest(rates, INPUT_SIDE);
    BigDecimal outPrice = dearest(rates, OUTPUT_SIDE);
    if ((inPrice == null && inputTokens > 0) || (outPrice == null && maxOutputTokens > 0)) {
      return Estimate.unknown("model '" + model.model() + "' has no input or output token price");
    }
    // price per 1M tokens × tokens / 10^6, in pico-units: price × tokens × 10^6
    BigDecimal picoPerMillion = BigDecimal.ZERO;
    if (inputTokens > 0) {
      picoPerMillion = picoPerMillion.add(inPrice.multiply(BigDecimal.valueOf(inputTokens)));
    }
    if (maxOutputTokens > 0) {
      picoPerMillion = picoPerMillion.add(outPrice.multiply(BigDecimal.valueOf(maxOutputTokens)));
    }
    BigDecimal pico = picoPerMillion.movePointRight(6);
    BigDecimal perRequest = rates.price(UsageBucket.REQUESTS);
    if (perRequest != null) {
      pico = pico.add(perRequest.movePointRight(12));
    }
    return Estimate.ofPico(Pico.ceil(pico), key.currency());
  }

  /** The bound for {@code usage} priced as it is (the caller made it an upper bound), rounded up. */
  public Estimate usage(BoundModel model, Usage usage) {
    try {
      return Estimate.of(model.price(usage, clock.wallTimeMillis()).total());
    } catch (PricingException e) {
      return Estimate.unknown(e.getMessage());
    }
  }

  private static BigDecimal dearest(BucketPrices rates, UsageBucket[] buckets) {
    BigDecimal max = null;
    for (UsageBucket b : buckets) {
      BigDecimal p = rates.price(b);
      if (p != null && (max == null || p.compareTo(max) > 0)) {
        max = p;
      }
    }
    return max;
  }

  /** The bound for {@code slice} of a training run on its hardware. */
  public Estimate gpu(TrainingRun run, Duration slice) {
    Money hourly = hourlyRate(run.priceKey(), run.gpus());
    return hourly == null ? Estimate.unknown("hardware " + run.hardware() + " has no GPU-hour price")
        : Estimate.ofPico(slicePico(Pico.ceil(hourly), slice), hourly.currency());
  }

  /** The bound for {@code slice} of {@code hardware}, priced now. */
  public Estimate gpu(Hardware hardware, Duration slice) {
    try {
      long now = clock.wallTimeMillis();
      Money hourly = hourlyRate(hardware.priceKey(pricing, now), hardware.gpus(pricing, now));
      return hourly == null ? Estimate.unknown("hardware " + hardware + " has no GPU-hour price")
          : Estimate.ofPico(slicePico(Pico.ceil(hourly), slice), hourly.currency());
    } catch (PricingException e) {
      return Estimate.unknown(e.getMessage());
    }
  }

  /** GPU-hour price × GPUs of a GPU price key, or {@code null} if the key has no GPU-time price. */
  static Money hourlyRate(PriceKey key, int gpus) {
    BigDecimal perGpuHour = key.rates() == null ? null : key.rates().price(UsageBucket.GPU_TIME);
    return perGpuHour == null ? null : Money.of(perGpuHour.multiply(BigDecimal.valueOf(gpus)), key.currency());
  }

  /** {@code ceil(ratePerHour × slice)} in pico-units. */
  static long slicePico(long ratePicoPerHour, Duration slice) {
    return Pico.mulDivCeil(ratePicoPerHour, slice.toMillis(), Pico.MILLIS_PER_HOUR);
  }
}

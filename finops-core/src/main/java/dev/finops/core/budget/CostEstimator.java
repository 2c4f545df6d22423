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
    long fixed = fixedBoundPico(rates, inputTokens, maxOutputTokens);
    if (fixed >= 0) {
      return Estimate.ofPico(fixed, key.currency());
    }
    BigDecimal inPrice = dearest(rates, INPUT_SIDE);
    BigDecimal outPrice = dearest(rates, OUTPUT_SIDE);
    if ((inPrice == null && inputTokens > 0) || (outPrice == null && maxOutputTokens > 0)) {
      return Estimate.unknown("model '" + model.model() + "' has no input or output token price");
    }
    // Each price is per pricing unit (1M tokens, one request): price × quantity / base units per pricing unit,
    // summed exactly and rounded up to the pico-unit once.
    Money amount = Money.zero(key.currency());
    if (inputTokens > 0) {
      amount = amount.plus(BucketPrices.cost(UsageBucket.INPUT_UNCACHED, inPrice, inputTokens, key.currency()));
    }
    if (maxOutputTokens > 0) {
      amount = amount.plus(BucketPrices.cost(UsageBucket.OUTPUT, outPrice, maxOutputTokens, key.currency()));
    }
    BigDecimal perRequest = rates.price(UsageBucket.REQUESTS);
    if (perRequest != null) {
      amount = amount.plus(BucketPrices.cost(UsageBucket.REQUESTS, perRequest, 1, key.currency()));
    }
    return Estimate.ofPico(Pico.ceil(amount), key.currency());
  }

  /**
   * The bound from the prices' fixed-point forms ({@link BucketPrices#picoPerBaseUnit}), without a
   * decimal: -1 when a price it needs has none (an unpriced bucket, a price finer than a pico-unit per
   * token) or the bound passes 64 bits; the exact decimal path then decides.
   */
  private static long fixedBoundPico(BucketPrices rates, long inputTokens, long maxOutputTokens) {
    long in = inputTokens == 0 ? 0 : dearestPico(rates, INPUT_SIDE);
    long out = maxOutputTokens == 0 ? 0 : dearestPico(rates, OUTPUT_SIDE);
    long perRequest = rates.price(UsageBucket.REQUESTS) == null ? 0
        : rates.picoPerBaseUnit(UsageBucket.REQUESTS.ordinal());
    if (in < 0 || out < 0 || perRequest < 0) {
      return -1;
    }
    try {
      return Math.addExact(Math.addExact(Math.multiplyExact(in, inputTokens), Math.multiplyExact(out, maxOutputTokens)),
          perRequest);
    } catch (ArithmeticException past64Bits) {
      return -1;
    }
  }

  /** The dearest fixed-point price of {@code buckets} (all in one unit), or -1 (none, or one not fixed). */
  private static long dearestPico(BucketPrices rates, UsageBucket[] buckets) {
    long max = -1;
    for (UsageBucket b : buckets) {
      if (rates.price(b) != null) {
        long p = rates.picoPerBaseUnit(b.ordinal());
        if (p == BucketPrices.NOT_FIXED) {
          return -1;
        }
        max = Math.max(max, p);
      }
    }
    return max;
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
    Money perGpuHour = key.gpuHourly(); // exact, even where the instance rate does not divide by its GPUs
    return perGpuHour == null ? null : perGpuHour.times(gpus);
  }

  /** {@code ceil(ratePerHour × slice)} in pico-units. */
  static long slicePico(long ratePicoPerHour, Duration slice) {
    return Pico.mulDivCeil(ratePicoPerHour, slice.toMillis(), Pico.MILLIS_PER_HOUR);
  }
}

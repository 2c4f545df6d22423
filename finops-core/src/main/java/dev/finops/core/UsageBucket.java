package dev.finops.core;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The canonical, non-overlapping buckets every usage is counted in. A token is in exactly one bucket:
 * {@link #INPUT_UNCACHED} excludes cache reads and writes, {@link #OUTPUT} excludes reasoning. Use
 * {@link TokenConventions} to convert from the inclusive OpenTelemetry GenAI counts or from the
 * exclusive Anthropic-style counts.
 *
 * <p>Each bucket has a base unit (quantities are longs in it) and a pricing unit (catalog prices are
 * per pricing unit): tokens are priced per million tokens, requests per request, GPU time (base
 * unit: GPU-millisecond) per GPU-hour, energy (base unit: millijoule) per kilowatt-hour.
 */
public enum UsageBucket {
  INPUT_UNCACHED("input", Unit.TOKEN),
  CACHE_READ("cache_read", Unit.TOKEN),
  CACHE_WRITE_5M("cache_write_5m", Unit.TOKEN),
  CACHE_WRITE_1H("cache_write_1h", Unit.TOKEN),
  OUTPUT("output", Unit.TOKEN),
  OUTPUT_REASONING("reasoning", Unit.TOKEN),
  INPUT_AUDIO("input_audio", Unit.TOKEN),
  OUTPUT_AUDIO("output_audio", Unit.TOKEN),
  INPUT_IMAGE("input_image", Unit.TOKEN),
  OUTPUT_IMAGE("output_image", Unit.TOKEN),
  REQUESTS("request", Unit.REQUEST),
  GPU_TIME("gpu_time", Unit.GPU_MILLISECOND),
  ENERGY("energy", Unit.MILLIJOULE);

  /** Base units of a quantity and how many of them make one pricing unit. */
  public enum Unit {
    /** Priced per 1,000,000 tokens. */
    TOKEN("token", "1M tokens", 1_000_000L),
    /** Priced per request. */
    REQUEST("request", "request", 1L),
    /** Priced per GPU-hour (3,600,000 GPU-milliseconds). */
    GPU_MILLISECOND("GPU-ms", "GPU-hour", 3_600_000L),
    /** Priced per kilowatt-hour (3,600,000,000 millijoules). */
    MILLIJOULE("mJ", "kWh", 3_600_000_000L);

    private final String baseName;
    private final String pricingName;
    private final long basePerPricingUnit;

    Unit(String baseName, String pricingName, long basePerPricingUnit) {
      this.baseName = baseName;
      this.pricingName = pricingName;
      this.basePerPricingUnit = basePerPricingUnit;
    }

    public String baseName() {
      return baseName;
    }

    public String pricingName() {
      return pricingName;
    }

    /** How many base units one pricing unit holds (1,000,000 tokens per "1M tokens"). */
    public long basePerPricingUnit() {
      return basePerPricingUnit;
    }
  }

  private static final UsageBucket[] VALUES = values();
  private static final Map<String, UsageBucket> BY_NAME = new HashMap<>();

  static {
    for (UsageBucket b : VALUES) {
      BY_NAME.put(b.jsonName, b);
    }
  }

  /** The number of buckets; quantities arrays are this long. */
  public static final int COUNT = VALUES.length;

  private final String jsonName;
  private final Unit unit;

  UsageBucket(String jsonName, Unit unit) {
    this.jsonName = jsonName;
    this.unit = unit;
  }

  /** The name used in catalogs, JSON reports and the CLI ({@code "cache_read"}). */
  public String jsonName() {
    return jsonName;
  }

  public Unit unit() {
    return unit;
  }

  public boolean isToken() {
    return unit == Unit.TOKEN;
  }

  /** True for buckets that count the prompt side of a model call. */
  public boolean isInputToken() {
    switch (this) {
      case INPUT_UNCACHED:
      case CACHE_READ:
      case CACHE_WRITE_5M:
      case CACHE_WRITE_1H:
      case INPUT_AUDIO:
      case INPUT_IMAGE:
        return true;
      default:
        return false;
    }
  }

  /** True for buckets that count the completion side of a model call. */
  public boolean isOutputToken() {
    return this == OUTPUT || this == OUTPUT_REASONING || this == OUTPUT_AUDIO || this == OUTPUT_IMAGE;
  }

  /** The bucket with this catalog name, or {@code null}. */
  public static UsageBucket byJsonName(String name) {
    return BY_NAME.get(name.toLowerCase(Locale.ROOT));
  }

  /** The bucket with this ordinal, without the array copy of {@code values()}. */
  public static UsageBucket ofOrdinal(int ordinal) {
    return VALUES[ordinal];
  }
}

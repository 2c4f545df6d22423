package dev.finops.advisor;

import dev.finops.core.catalog.AcceleratorCatalog;
import dev.finops.core.catalog.AcceleratorFacts;
import dev.finops.core.catalog.GpuInstance;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The price catalog names accelerators by model and memory ({@code H100-80GB}, as instance types carry
 * them); the accelerator facts table ({@link AcceleratorCatalog}) by its own ids ({@code h100-sxm}). This
 * maps the one to the other, so the advisors read peaks, bandwidth and MIG profiles from the facts table
 * instead of keeping copies. A catalog name without an alias is looked up as a facts id itself.
 */
public final class Accelerators {

  /**
   * Catalog accelerator name → facts id. The catalog's A100s and H100s are the SXM parts of the
   * instances it lists (p4d/p4de, a2, ND A100 v4; p5, a3, ND H100 v5); the NC A100 v4's PCIe A100 has the
   * same dense BF16 peak and MIG profiles as the SXM one.
   */
  private static final Map<String, String> ALIASES = Map.of(
      "a100-40gb", "a100-sxm-40gb",
      "a100-80gb", "a100-sxm-80gb",
      "h100-80gb", "h100-sxm",
      "h200-141gb", "h200-sxm",
      "l4-24gb", "l4",
      "l40s-48gb", "l40s");

  private final AcceleratorCatalog facts;

  private Accelerators(AcceleratorCatalog facts) {
    this.facts = facts;
  }

  /** Over the built-in facts table. */
  public static Accelerators builtIn() {
    return new Accelerators(AcceleratorCatalog.builtIn());
  }

  /** Over {@code facts} (the built-in table with entries added, say). */
  public static Accelerators of(AcceleratorCatalog facts) {
    return new Accelerators(Objects.requireNonNull(facts, "facts"));
  }

  /** The facts id a catalog accelerator name stands for (the name itself, lower case, if it has no alias). */
  public static String factsId(String catalogName) {
    String key = Objects.requireNonNull(catalogName, "accelerator").toLowerCase(Locale.ROOT);
    return ALIASES.getOrDefault(key, key);
  }

  /** The facts of a catalog accelerator ({@code A100-40GB}), or empty when the table has none. */
  public Optional<AcceleratorFacts> facts(String catalogName) {
    String id = factsId(catalogName);
    for (AcceleratorFacts f : facts.all()) {
      if (f.id().equalsIgnoreCase(id)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  /**
   * The facts of a catalog accelerator.
   *
   * @throws IllegalArgumentException naming the accelerator if the table has none
   */
  public AcceleratorFacts require(String catalogName) {
    return facts(catalogName).orElseThrow(() -> new IllegalArgumentException("accelerator: no facts for '"
        + catalogName + "' (facts id '" + factsId(catalogName) + "')"));
  }

  /**
   * The dense peak TFLOPS at {@code precision} of every accelerator of {@code instances} that has facts,
   * keyed by the catalog's name: what {@link TrainingPlanner.Builder#peakTflops} takes. Accelerators without
   * facts, or without that precision, are left out.
   */
  public Map<String, BigDecimal> peakTflops(Collection<GpuInstance> instances, AcceleratorFacts.Precision precision) {
    Map<String, BigDecimal> out = new LinkedHashMap<>();
    for (GpuInstance g : instances) {
      Optional<AcceleratorFacts> f = facts(g.accelerator());
      if (f.isPresent() && !out.containsKey(g.accelerator())) {
        try {
          out.put(g.accelerator(), f.get().peakTflops(precision));
        } catch (IllegalArgumentException noSuchPrecision) {
          // e.g. FP8 on an A100: not planned at that precision
        }
      }
    }
    return out;
  }

  /**
   * {@code to}'s memory bandwidth over {@code from}'s, HALF_EVEN at {@code scale}: the throughput factor of
   * memory-bound work, such as decoding tokens at small batch sizes, when it moves from one to the other.
   */
  public BigDecimal bandwidthRatio(String from, String to, int scale) {
    return BigDecimal.valueOf(require(to).memoryBandwidthGbPerSecond())
        .divide(BigDecimal.valueOf(require(from).memoryBandwidthGbPerSecond()), scale, RoundingMode.HALF_EVEN);
  }
}

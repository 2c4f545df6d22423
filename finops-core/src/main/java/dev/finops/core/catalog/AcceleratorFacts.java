package dev.finops.core.catalog;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * Public facts about one accelerator type, from its vendor's datasheet: peak dense tensor throughput
 * per precision (no 2:4 sparsity), memory, thermal design power and Multi-Instance GPU profiles.
 * {@link AcceleratorCatalog#builtIn()} holds a table of them; docs/accelerators.md lists the same
 * facts with their sources. Peaks are what MFU divides by. Immutable.
 *
 * @param id the catalog's key ({@code h100-sxm}); lower case
 * @param name the product name
 * @param peakDenseBf16Tflops peak dense BF16 (= FP16) tensor TFLOPS
 * @param peakDenseFp8Tflops peak dense FP8 tensor TFLOPS, or {@code null} where the chip has no FP8
 * @param peakFp32Tflops peak non-tensor FP32 TFLOPS
 * @param memoryGb device memory, GB (10^9 bytes as datasheets state it)
 * @param memoryBandwidthGbPerSecond peak memory bandwidth, GB/s
 * @param tdpWatts maximum thermal design power, watts
 * @param migProfiles the MIG GPU-instance profiles ({@code 1g.10gb}), empty where the chip has no MIG
 * @param source the public page the figures are from
 */
public record AcceleratorFacts(String id, String name, BigDecimal peakDenseBf16Tflops, BigDecimal peakDenseFp8Tflops,
    BigDecimal peakFp32Tflops, int memoryGb, int memoryBandwidthGbPerSecond, int tdpWatts, List<String> migProfiles,
    String source) {

  /** The number formats a peak is given for. FP16 tensor throughput equals BF16 on these chips. */
  public enum Precision {
    BF16, FP16, FP8, FP32
  }

  public AcceleratorFacts {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    positive("peakDenseBf16Tflops", peakDenseBf16Tflops);
    if (peakDenseFp8Tflops != null) {
      positive("peakDenseFp8Tflops", peakDenseFp8Tflops);
    }
    positive("peakFp32Tflops", peakFp32Tflops);
    if (memoryGb <= 0) {
      throw new IllegalArgumentException("memoryGb must be positive: " + memoryGb);
    }
    if (memoryBandwidthGbPerSecond <= 0) {
      throw new IllegalArgumentException("memoryBandwidthGbPerSecond must be positive: " + memoryBandwidthGbPerSecond);
    }
    if (tdpWatts <= 0) {
      throw new IllegalArgumentException("tdpWatts must be positive: " + tdpWatts);
    }
    migProfiles = List.copyOf(Objects.requireNonNull(migProfiles, "migProfiles"));
    if (source == null || !source.startsWith("https://")) {
      throw new IllegalArgumentException("source must be an https:// address: " + source);
    }
  }

  private static void positive(String field, BigDecimal v) {
    if (v == null || v.signum() <= 0) {
      throw new IllegalArgumentException(field + " must be a positive number of TFLOPS: " + v);
    }
  }

  /** True if the chip can be split into MIG instances. */
  public boolean hasMig() {
    return !migProfiles.isEmpty();
  }

  /**
   * Peak dense TFLOPS at {@code precision}.
   *
   * @throws IllegalArgumentException if the chip has no tensor throughput at that precision (FP8 before Hopper/Ada)
   */
  public BigDecimal peakTflops(Precision precision) {
    switch (Objects.requireNonNull(precision, "precision")) {
      case BF16:
      case FP16:
        return peakDenseBf16Tflops;
      case FP8:
        if (peakDenseFp8Tflops == null) {
          throw new IllegalArgumentException("precision: " + name + " has no FP8 tensor throughput");
        }
        return peakDenseFp8Tflops;
      default:
        return peakFp32Tflops;
    }
  }
}

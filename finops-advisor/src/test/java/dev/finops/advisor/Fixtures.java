package dev.finops.advisor;

import dev.finops.core.Money;
import dev.finops.core.catalog.GpuInstance;
import dev.finops.core.catalog.GpuPrice;
import dev.finops.core.catalog.PriceCatalog;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** A small catalog with known prices for the advisor tests. */
final class Fixtures {
  static final Instant FROM = Instant.parse("2025-06-01T00:00:00Z");
  static final GpuInstance P4D = instance("p4d.24xlarge", "A100-40GB", 8, "21.957642", "12.50");
  static final GpuInstance G6 = instance("g6.xlarge", "L4-24GB", 1, "0.8048", null);
  static final GpuInstance G6_12 = instance("g6.12xlarge", "L4-24GB", 4, "4.6016", null);
  static final GpuInstance G5 = instance("g5.xlarge", "A10G-24GB", 1, "1.006", "0.4005");
  static final PriceCatalog CATALOG = PriceCatalog.builder("test", "1")
      .addGpuInstance(P4D).addGpuInstance(G6).addGpuInstance(G6_12).addGpuInstance(G5).build();

  private Fixtures() {}

  static GpuInstance instance(String type, String accel, int gpus, String onDemand, String spot) {
    return new GpuInstance("aws", "us-east-1", type, accel, gpus, "test",
        List.of(new GpuPrice(FROM, null, Money.USD, new BigDecimal(onDemand), spot == null ? null : new BigDecimal(spot),
            null)));
  }

  /** hourly / gpus × 730 × count, computed here with BigDecimal (terminating for these prices). */
  static BigDecimal gpuMonths(String hourly, int gpus, long count) {
    return new BigDecimal(hourly).multiply(BigDecimal.valueOf(730 * count)).divide(BigDecimal.valueOf(gpus));
  }
}

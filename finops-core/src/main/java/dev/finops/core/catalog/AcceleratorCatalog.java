package dev.finops.core.catalog;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A table of {@link AcceleratorFacts} by id. {@link #builtIn()} carries NVIDIA's datasheet figures
 * for the accelerators the catalogs price (the same table, with sources, is docs/accelerators.md);
 * {@link #with} adds or replaces entries (a chip the table lacks, a power-capped part). Immutable.
 */
public final class AcceleratorCatalog {

  private static final String H100 = "https://www.nvidia.com/en-us/data-center/h100/";
  private static final String H200 = "https://www.nvidia.com/en-us/data-center/h200/";
  private static final String A100 =
      "https://www.nvidia.com/content/dam/en-zz/Solutions/Data-Center/a100/pdf/nvidia-a100-datasheet-us-nvidia-1758950-r4-web.pdf";
  private static final String L4 = "https://www.nvidia.com/en-us/data-center/l4/";
  private static final String L40S = "https://www.nvidia.com/en-us/data-center/l40s/";
  private static final String B200 = "https://www.nvidia.com/en-us/data-center/hgx/";

  private static final AcceleratorCatalog BUILT_IN = new AcceleratorCatalog(List.of(
      facts("h100-sxm", "NVIDIA H100 SXM 80GB", "989.4", "1978.9", "66.9", 80, 3350, 700,
          List.of("1g.10gb", "1g.20gb", "2g.20gb", "3g.40gb", "4g.40gb", "7g.80gb"), H100),
      facts("h100-pcie", "NVIDIA H100 PCIe 80GB", "756", "1513", "51", 80, 2000, 350,
          List.of("1g.10gb", "1g.20gb", "2g.20gb", "3g.40gb", "4g.40gb", "7g.80gb"), H100),
      facts("h200-sxm", "NVIDIA H200 SXM 141GB", "989.4", "1978.9", "66.9", 141, 4800, 700,
          List.of("1g.18gb", "1g.35gb", "2g.35gb", "3g.71gb", "4g.71gb", "7g.141gb"), H200),
      facts("a100-sxm-80gb", "NVIDIA A100 SXM 80GB", "312", null, "19.5", 80, 2039, 400,
          List.of("1g.10gb", "1g.20gb", "2g.20gb", "3g.40gb", "4g.40gb", "7g.80gb"), A100),
      facts("a100-sxm-40gb", "NVIDIA A100 SXM 40GB", "312", null, "19.5", 40, 1555, 400,
          List.of("1g.5gb", "1g.10gb", "2g.10gb", "3g.20gb", "4g.20gb", "7g.40gb"), A100),
      facts("l4", "NVIDIA L4", "121", "242.5", "30.3", 24, 300, 72, List.of(), L4),
      facts("l40s", "NVIDIA L40S", "362.05", "733", "91.6", 48, 864, 350, List.of(), L40S),
      facts("b200", "NVIDIA B200 (HGX)", "2250", "4500", "75", 180, 8000, 1000,
          List.of("1g.23gb", "1g.45gb", "2g.45gb", "3g.90gb", "4g.90gb", "7g.180gb"), B200)));

  private final Map<String, AcceleratorFacts> byId;

  private AcceleratorCatalog(Collection<AcceleratorFacts> entries) {
    Map<String, AcceleratorFacts> m = new LinkedHashMap<>();
    for (AcceleratorFacts f : entries) {
      m.put(f.id().toLowerCase(Locale.ROOT), f);
    }
    this.byId = Map.copyOf(m);
  }

  private static AcceleratorFacts facts(String id, String name, String bf16, String fp8, String fp32, int memoryGb,
      int bandwidth, int tdp, List<String> mig, String source) {
    return new AcceleratorFacts(id, name, new BigDecimal(bf16), fp8 == null ? null : new BigDecimal(fp8),
        new BigDecimal(fp32), memoryGb, bandwidth, tdp, mig, source);
  }

  /** NVIDIA's datasheet figures for H100 (SXM, PCIe), H200, A100 (80 GB, 40 GB), L4, L40S and B200. */
  public static AcceleratorCatalog builtIn() {
    return BUILT_IN;
  }

  /** This table with {@code extra} added (an entry with an id already here replaces it). */
  public AcceleratorCatalog with(AcceleratorFacts... extra) {
    Map<String, AcceleratorFacts> m = new LinkedHashMap<>(byId);
    for (AcceleratorFacts f : extra) {
      m.put(Objects.requireNonNull(f, "facts").id().toLowerCase(Locale.ROOT), f);
    }
    return new AcceleratorCatalog(m.values());
  }

  /**
   * The facts of accelerator {@code id} (case-insensitive).
   *
   * @throws IllegalArgumentException naming the field {@code accelerator} if the table has no such id
   */
  public AcceleratorFacts get(String id) {
    Objects.requireNonNull(id, "accelerator");
    AcceleratorFacts f = byId.get(id.toLowerCase(Locale.ROOT));
    if (f == null) {
      throw new IllegalArgumentException("accelerator: unknown id '" + id + "'; known: "
          + byId.keySet().stream().sorted().toList());
    }
    return f;
  }

  /** Every entry, in no particular order. */
  public Collection<AcceleratorFacts> all() {
    return byId.values();
  }
}

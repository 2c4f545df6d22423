package dev.finops.advisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finops.core.catalog.AcceleratorCatalog;
import dev.finops.core.catalog.AcceleratorFacts;
import dev.finops.core.catalog.GpuInstance;
import dev.finops.core.catalog.PriceCatalog;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AcceleratorsTest {

  private final Accelerators accelerators = Accelerators.builtIn();

  @Test
  void everyCatalogAcceleratorWithAnAliasFindsTheFactsOfThatPart() {
    assertThat(accelerators.require("A100-40GB").id()).isEqualTo("a100-sxm-40gb");
    assertThat(accelerators.require("a100-80gb").id()).isEqualTo("a100-sxm-80gb");
    assertThat(accelerators.require("H100-80GB").id()).isEqualTo("h100-sxm");
    assertThat(accelerators.require("H200-141GB").id()).isEqualTo("h200-sxm");
    assertThat(accelerators.require("L4-24GB").id()).isEqualTo("l4");
    assertThat(accelerators.require("L40S-48GB").id()).isEqualTo("l40s");
    // a facts id is its own alias
    assertThat(accelerators.require("h100-pcie").id()).isEqualTo("h100-pcie");
    // the memory in the catalog's name is the part's
    for (GpuInstance g : PriceCatalog.bundled().gpuInstances()) {
      accelerators.facts(g.accelerator()).ifPresent(f ->
          assertThat(g.accelerator()).endsWith("-" + f.memoryGb() + "GB"));
    }
  }

  @Test
  void peaksAreReadFromTheFactsForTheCatalogsInstancesAndUnknownPartsAreLeftOut() {
    PriceCatalog catalog = PriceCatalog.bundled();
    List<GpuInstance> aws = catalog.gpuInstances().stream().filter(g -> g.provider().equals("aws")).toList();
    Map<String, BigDecimal> bf16 = accelerators.peakTflops(aws, AcceleratorFacts.Precision.BF16);
    assertThat(bf16).containsEntry("A100-40GB", new BigDecimal("312")).containsEntry("H200-141GB",
        new BigDecimal("989.4")).containsEntry("L40S-48GB", new BigDecimal("362.05")).doesNotContainKey("A10G-24GB");
    // no FP8 on an A100: left out at that precision
    assertThat(accelerators.peakTflops(aws, AcceleratorFacts.Precision.FP8)).doesNotContainKey("A100-40GB")
        .containsEntry("H100-80GB", new BigDecimal("1978.9"));
  }

  @Test
  void theBandwidthRatioIsTheFactsRatio() {
    // L4 300 GB/s over L40S 864 GB/s
    assertThat(accelerators.bandwidthRatio("L40S-48GB", "L4-24GB", 4)).isEqualByComparingTo("0.3472");
    assertThatThrownBy(() -> accelerators.bandwidthRatio("A10G-24GB", "L4-24GB", 4))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("A10G-24GB");
  }

  @Test
  void addedFactsAreFound() {
    AcceleratorFacts a10g = new AcceleratorFacts("a10g-24gb", "NVIDIA A10G", new BigDecimal("70"), null,
        new BigDecimal("31.2"), 24, 600, 300, List.of(), "https://example.org/a10g");
    Accelerators more = Accelerators.of(AcceleratorCatalog.builtIn().with(a10g));
    assertThat(more.require("A10G-24GB")).isEqualTo(a10g);
    assertThat(accelerators.facts("A10G-24GB")).isEmpty();
  }
}

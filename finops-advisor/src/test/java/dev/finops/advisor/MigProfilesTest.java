package dev.finops.advisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finops.core.catalog.AcceleratorCatalog;
import dev.finops.core.catalog.AcceleratorFacts;
import dev.finops.core.catalog.GpuInstance;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class MigProfilesTest {

  private static List<String> names(String accelerator) {
    return MigProfiles.of(accelerator).stream().map(MigProfiles.Profile::name).toList();
  }

  @Test
  void theProfilesAreTheFactsTablesWithoutTheWholeGpuSmallestFirst() {
    assertThat(names("A100-40GB")).containsExactly("1g.5gb", "1g.10gb", "2g.10gb", "3g.20gb", "4g.20gb");
    assertThat(names("H100-80GB")).containsExactly("1g.10gb", "1g.20gb", "2g.20gb", "3g.40gb", "4g.40gb");
    assertThat(names("H200-141GB")).containsExactly("1g.18gb", "1g.35gb", "2g.35gb", "3g.71gb", "4g.71gb");
    assertThat(names("L4-24GB")).isEmpty();
    assertThat(names("A10G-24GB")).isEmpty();
    // a part the facts table lacks keeps its profiles
    assertThat(names("H100-NVL-94GB")).containsExactly("1g.12gb", "2g.24gb", "3g.47gb", "4g.47gb");
    // every catalog accelerator with MIG facts reads the same list the facts hold
    for (GpuInstance g : dev.finops.core.catalog.PriceCatalog.bundled().gpuInstances()) {
      Accelerators.builtIn().facts(g.accelerator()).ifPresent(f -> assertThat(MigProfiles.of(g.accelerator()))
          .hasSize(f.migProfiles().isEmpty() ? 0 : f.migProfiles().size() - 1));
    }
  }

  @Test
  void aFactsTableWithAnotherPartGivesItsProfiles() {
    AcceleratorFacts a30 = new AcceleratorFacts("a30-24gb", "NVIDIA A30", new BigDecimal("165"), null,
        new BigDecimal("10.3"), 24, 933, 165, List.of("4g.24gb", "1g.6gb", "2g.12gb"), "https://example.org/a30");
    Accelerators more = Accelerators.of(AcceleratorCatalog.builtIn().with(a30));
    assertThat(MigProfiles.of(more, "A30-24GB")).extracting(MigProfiles.Profile::name)
        .containsExactly("1g.6gb", "2g.12gb", "4g.24gb");
    assertThatThrownBy(() -> MigProfiles.Profile.parse("1g.10gb+me"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1g.10gb+me");
  }

  @Test
  void aSmallJobGoesToTheOneSliceProfileWithMoreMemoryTheFactsList() {
    // 10 % and 8,000 MiB (8,800 with headroom): 1g.5gb is too small, 1g.10gb (9,536 MiB, 1/7) fits
    GpuSeries busy = new GpuSeries("busy");
    GpuSeries small = new GpuSeries("small");
    for (int i = 0; i < 30; i++) {
      busy.add(Fixtures.FROM.toEpochMilli() + i * 60_000L, 90, 30_000, 40_960, 250, "a", "nlp");
      small.add(Fixtures.FROM.toEpochMilli() + i * 60_000L, 10, 8_000, 40_960, 250, "b", "nlp");
    }
    UtilizationAdvice advice = UtilizationAdvisor.builder(Fixtures.CATALOG, Fixtures.P4D).build()
        .advise(List.of(busy, small));
    assertThat(advice.recommendations()).singleElement().satisfies(r -> {
      assertThat(r.kind()).isEqualTo("mig-slice");
      assertThat(r.action()).contains("1g.10gb");
      assertThat(r.monthlySaving().times(7).exactAmount())
          .isEqualByComparingTo(Fixtures.gpuMonths("21.957642", 8, 6));
    });
  }
}

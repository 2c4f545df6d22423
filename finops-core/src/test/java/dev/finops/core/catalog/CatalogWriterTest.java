package dev.finops.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Writing a catalog and reading it back gives the same prices, names and provenance. */
class CatalogWriterTest {

  @Test
  void theImportedGenAiPricesCatalogRoundTrips() throws Exception {
    PriceCatalog imported = GenAiPricesImporter.read(GenAiPricesImporterTest.dataset()).catalog();
    List<ModelEntry> dated = new ArrayList<>();
    for (ModelEntry m : imported.models()) {
      dated.add(m.withCheckedOn(LocalDate.of(2026, 12, 6)));
    }
    PriceCatalog.Builder b = PriceCatalog.builder("imported", imported.version());
    dated.forEach(b::addModel);
    PriceCatalog original = b.build();

    PriceCatalog back = PriceCatalog.parse("back.json", CatalogWriter.toJson(original, "round trip"));

    assertThat(back.version()).isEqualTo(original.version());
    assertThat(back.models()).hasSameSizeAs(original.models());
    for (int i = 0; i < original.models().size(); i++) {
      ModelEntry a = original.models().get(i);
      ModelEntry r = back.models().get(i);
      assertThat(r.toString()).isEqualTo(a.toString());
      assertThat(r.aliases()).isEqualTo(a.aliases());
      assertThat(r.patterns()).extracting(Pattern::pattern).isEqualTo(a.patterns().stream().map(Pattern::pattern).toList());
      assertThat(r.source()).isEqualTo(a.source());
      assertThat(r.checkedOn()).isEqualTo(LocalDate.of(2026, 12, 6));
      assertThat(r.samePrices(a)).as(a.toString()).isTrue();
    }
  }

  @Test
  void theBundledCatalogRoundTripsWithItsGpuAndOnPremRows() {
    PriceCatalog bundled = PriceCatalog.bundled();
    PriceCatalog back = PriceCatalog.parse("back.json", CatalogWriter.toJson(bundled, null));
    assertThat(back.models()).hasSameSizeAs(bundled.models());
    for (int i = 0; i < bundled.models().size(); i++) {
      assertThat(back.models().get(i).samePrices(bundled.models().get(i))).isTrue();
      assertThat(back.models().get(i).notes()).isEqualTo(bundled.models().get(i).notes());
    }
    assertThat(bundled.models()).anySatisfy(m -> assertThat(m.notes()).isNotBlank());
    assertThat(back.gpuInstances()).hasSameSizeAs(bundled.gpuInstances());
    assertThat(back.onPremGpus()).hasSameSizeAs(bundled.onPremGpus());
    for (int i = 0; i < bundled.gpuInstances().size(); i++) {
      GpuPrice a = bundled.gpuInstances().get(i).latest();
      GpuPrice r = back.gpuInstances().get(i).latest();
      assertThat(r.onDemandHourly()).isEqualByComparingTo(a.onDemandHourly());
      assertThat(r.validFrom()).isEqualTo(a.validFrom());
      assertThat(back.gpuInstances().get(i).notes()).isEqualTo(bundled.gpuInstances().get(i).notes());
    }
    for (int i = 0; i < bundled.onPremGpus().size(); i++) {
      assertThat(back.onPremGpus().get(i).notes()).isEqualTo(bundled.onPremGpus().get(i).notes());
    }
  }
}

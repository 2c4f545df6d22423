package dev.finops.core.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.core.catalog.PriceSource;
import dev.finops.core.catalog.PurchaseOption;
import dev.finops.core.pricing.PriceKey;
import java.math.BigDecimal;
import java.util.Currency;
import org.junit.jupiter.api.Test;

/** A journaled GPU price key keeps its region, so a resumed run re-prices in the region it ran in. */
class RecordCodecRegionTest {

  private static final Currency USD = Currency.getInstance("USD");

  private static RunRecord attemptWith(PriceKey key) throws Exception {
    RunRecord r = RunRecord.builder(RecordType.ATTEMPT_STARTED, 1, new BigDecimal("5.00"), USD).time(1_000L)
        .hardware("p4d.24xlarge", 8, key).build("run-1", 1);
    return RecordCodec.decode("run-1", 1, RecordType.ATTEMPT_STARTED.code(), RecordCodec.encode(r));
  }

  @Test
  void theRegionOfAGpuKeySurvivesTheJournal() throws Exception {
    PriceKey key = PriceKey.gpuTime(PriceKey.Kind.GPU, "aws", "eu-west-1", "p4d.24xlarge", PurchaseOption.SPOT,
        new BigDecimal("2.00"), PriceSource.USER_CATALOG, "gpu", "1", USD);

    PriceKey back = attemptWith(key).priceKey();

    assertThat(back.region()).isEqualTo("eu-west-1");
    assertThat(back).isEqualTo(key);
  }

  @Test
  void aKeyWithoutARegionStaysWithout() throws Exception {
    PriceKey key = PriceKey.gpuTime(PriceKey.Kind.CUSTOM, "lab", "rack-3", null, new BigDecimal("1.10"),
        PriceSource.OVERRIDE, null, null, USD);

    assertThat(attemptWith(key).priceKey().region()).isNull();
  }
}

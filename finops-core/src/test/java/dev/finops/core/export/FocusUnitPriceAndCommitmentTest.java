package dev.finops.core.export;

import static dev.finops.core.export.FocusLedgerExportTest.where;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * FOCUS 1.3 ListUnitPrice and ContractedUnitPrice on every ledger row, and the commitment discount
 * columns on rows of committed capacity (prices of {@link FocusFixtures}).
 */
class FocusUnitPriceAndCommitmentTest {

  final FocusFixtures fx = new FocusFixtures();
  final FocusExport export = FocusExporter.builder().billingAccount("acme-ai", "Acme AI").listPrices(fx.pricing)
      .build().export(fx.snapshot());

  private static final List<FocusColumn> COMMITMENT = List.of(FocusColumn.COMMITMENT_DISCOUNT_ID,
      FocusColumn.COMMITMENT_DISCOUNT_TYPE, FocusColumn.COMMITMENT_DISCOUNT_CATEGORY,
      FocusColumn.COMMITMENT_DISCOUNT_STATUS);

  /** Unit price × PricingQuantity = cost, within the rounding of the quantity (12 places). */
  private static void assertUnitPriceTimesQuantityIsTheCost(FocusRow r, FocusColumn unitPrice, FocusColumn cost) {
    BigDecimal exact = r.decimal(unitPrice).multiply(r.decimal(FocusColumn.PRICING_QUANTITY));
    assertThat(exact.setScale(12, RoundingMode.HALF_EVEN).subtract(r.decimal(cost)).abs())
        .isLessThanOrEqualTo(new BigDecimal("1E-11"));
  }

  @Test
  void theColumnsAreFocusColumnsInTheFile() {
    String header = FocusFixtures.csv(export).lines().findFirst().orElseThrow();

    assertThat(header).contains(",ListUnitPrice,", ",ContractedUnitPrice,", ",CommitmentDiscountId,",
        ",CommitmentDiscountType,", ",CommitmentDiscountCategory,", ",CommitmentDiscountStatus,", ",PricingQuantity,",
        ",PricingUnit,");
    assertThat(FocusValidator.validateCsv(FocusFixtures.csv(export))).isEmpty();
  }

  @Test
  void anOnDemandTokenRowHasTheListPricePerThousandTokensAndNoCommitment() {
    FocusRow read = where(export, FocusColumn.X_USAGE_BUCKET, "cache_read").get(0);

    // 0.25 per 1M tokens = 0.00025 per 1000 Tokens
    assertThat(read.get(FocusColumn.LIST_UNIT_PRICE)).isEqualTo("0.00025");
    assertThat(read.get(FocusColumn.CONTRACTED_UNIT_PRICE)).isEqualTo("0.00025");
    for (FocusColumn c : COMMITMENT) {
      assertThat(read.get(c)).as(c.columnName()).isNull();
    }
  }

  @Test
  void anOnDemandGpuRowHasItsPricePerGpuHourAndUnitPriceTimesQuantityIsItsCost() {
    List<FocusRow> onDemand = where(export, FocusColumn.RESOURCE_ID, "chat-small");

    assertThat(onDemand).isNotEmpty().allSatisfy(r -> {
      assertThat(r.get(FocusColumn.PRICING_CATEGORY)).isEqualTo("Standard");
      assertThat(r.get(FocusColumn.LIST_UNIT_PRICE)).isEqualTo("4");
      assertThat(r.get(FocusColumn.CONTRACTED_UNIT_PRICE)).isEqualTo("4");
      assertThat(r.get(FocusColumn.COMMITMENT_DISCOUNT_ID)).isNull();
      assertThat(r.get(FocusColumn.COMMITMENT_DISCOUNT_STATUS)).isNull();
      assertUnitPriceTimesQuantityIsTheCost(r, FocusColumn.LIST_UNIT_PRICE, FocusColumn.LIST_COST);
    });
  }

  @Test
  void aCommittedRowNamesItsCommitmentAndListsTheOnDemandPrice() {
    List<FocusRow> committed = where(export, FocusColumn.PRICING_CATEGORY, "Committed");

    assertThat(committed).isNotEmpty().allSatisfy(r -> {
      assertThat(r.get(FocusColumn.RESOURCE_ID)).isEqualTo("ft-2");
      // 32.00 on demand per instance-hour over 8 GPUs; the contracted price excludes the commitment
      // discount, so it is the list price too; the committed 2.50 shows in EffectiveCost
      assertThat(r.get(FocusColumn.LIST_UNIT_PRICE)).isEqualTo("4");
      assertThat(r.get(FocusColumn.CONTRACTED_UNIT_PRICE)).isEqualTo("4");
      assertThat(r.get(FocusColumn.COMMITMENT_DISCOUNT_ID)).isEqualTo("aws/us-east-1/p4d.24xlarge/committed@gpu-1");
      assertThat(r.get(FocusColumn.COMMITMENT_DISCOUNT_TYPE)).isEqualTo("Reserved Instance");
      assertThat(r.get(FocusColumn.COMMITMENT_DISCOUNT_CATEGORY)).isEqualTo("Usage");
      assertThat(r.get(FocusColumn.COMMITMENT_DISCOUNT_STATUS)).isEqualTo("Used");
      assertUnitPriceTimesQuantityIsTheCost(r, FocusColumn.CONTRACTED_UNIT_PRICE, FocusColumn.CONTRACTED_COST);
    });
  }

  @Test
  void aSpotRowListsTheOnDemandPriceAndContractsAtTheSpotPriceWithoutACommitment() {
    List<FocusRow> spot = where(export, FocusColumn.PRICING_CATEGORY, "Dynamic");

    assertThat(spot).isNotEmpty().allSatisfy(r -> {
      assertThat(r.get(FocusColumn.LIST_UNIT_PRICE)).isEqualTo("4");
      assertThat(r.get(FocusColumn.CONTRACTED_UNIT_PRICE)).isEqualTo("1.5");
      assertThat(r.get(FocusColumn.COMMITMENT_DISCOUNT_ID)).isNull();
    });
  }

  @Test
  void withoutListPricesACommittedRowListsItsOwnRate() {
    FocusExport noList = FocusExporter.builder().build().export(fx.snapshot());

    assertThat(where(noList, FocusColumn.PRICING_CATEGORY, "Committed")).isNotEmpty().allSatisfy(r -> {
      assertThat(r.get(FocusColumn.LIST_UNIT_PRICE)).isEqualTo("2.5");
      assertThat(r.get(FocusColumn.CONTRACTED_UNIT_PRICE)).isEqualTo("2.5");
      assertThat(r.get(FocusColumn.COMMITMENT_DISCOUNT_STATUS)).isEqualTo("Used");
    });
  }

  @Test
  void energyIsPricedPerKilowattHour() {
    FocusRow energy = where(export, FocusColumn.X_USAGE_BUCKET, "energy").get(0);

    assertThat(energy.get(FocusColumn.PRICING_UNIT)).isEqualTo("Kilowatt-Hours");
    assertThat(energy.get(FocusColumn.LIST_UNIT_PRICE)).isEqualTo("0.12");
    assertThat(energy.get(FocusColumn.CONTRACTED_UNIT_PRICE)).isEqualTo("0.12");
  }
}

package dev.finops.core.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The validator catches what the specification forbids, so an empty report means something. */
class FocusValidatorTest {

  static final String HEADER = "BilledCost,BillingAccountId,BillingCurrency,BillingPeriodEnd,BillingPeriodStart,"
      + "ChargeCategory,ChargeClass,ChargeDescription,ChargePeriodEnd,ChargePeriodStart,ContractedCost,EffectiveCost,"
      + "HostProviderName,InvoiceIssuerName,ListCost,PricingQuantity,PricingUnit,ServiceCategory,ServiceName,"
      + "ServiceProviderName,ServiceSubcategory,SkuPriceId,PricingCategory,ConsumedQuantity,ConsumedUnit,Tags,"
      + "AllocatedMethodId,AllocatedMethodDetails,AllocatedResourceId,ResourceId,x_GpuSeconds";
  static final String GOOD = "1.5,acct,USD,2026-12-01T00:00:00Z,2026-11-01T00:00:00Z,Usage,,tokens,"
      + "2026-11-02T00:01:00Z,2026-11-02T00:00:00Z,1.5,1.5,aws,aws,1.5,3,1000 Tokens,AI and Machine Learning,"
      + "x model API,x,Generative AI,sku@1,Standard,3000,Tokens,\"{\"\"team\"\":\"\"a\"\"}\",,,,,";

  @Test
  void aGoodRowPasses() {
    assertThat(FocusValidator.validateCsv(HEADER + "\n" + GOOD + "\n")).isEmpty();
  }

  @Test
  void catchesEachKindOfViolation() {
    List<String> problems = FocusValidator.validateCsv(HEADER.replace("BilledCost,", "Cost,") + ",Extra\n"
        + GOOD.replace("Usage,", "Use,").replace("USD", "XYZ").replace("2026-11-02T00:00:00Z", "2026-11-02 00:00")
            .replace("1000 Tokens", "thousand tokens").replace("Generative AI", "Virtual Machines")
            .replace("3000,Tokens", ",Tokens").replace("\"{\"\"team\"\":\"\"a\"\"}\"", "[1]") + ",x\n");

    assertThat(String.join("\n", problems)).contains(
        "mandatory column BilledCost is missing",
        "column Cost is neither a FOCUS column nor prefixed x_",
        "column Extra is neither a FOCUS column nor prefixed x_",
        "ChargeCategory: 'Use' is not an allowed value",
        "BillingCurrency: 'XYZ' is not an ISO 4217 code",
        "ChargePeriodStart: not an ISO 8601 UTC date-time",
        "PricingUnit: 'thousand tokens' does not follow the unit format",
        "ServiceSubcategory: 'Virtual Machines' is not a subcategory of 'AI and Machine Learning'",
        "ConsumedUnit: must be null exactly when ConsumedQuantity is null",
        "Tags: not a JSON object");
  }

  @Test
  void usageRowsNeedTheirQuantitiesAndAllocatedRatiosMustAddUpToOne() {
    String noQuantity = GOOD.replace(",3,1000 Tokens,", ",,,").replace("sku@1,Standard", "sku@1,");
    String split = GOOD.replace(",,,,,", ",m,\"{\"\"Elements\"\":[{\"\"AllocatedRatio\"\":0.6}]}\",t1,node,");

    List<String> problems = FocusValidator.validateCsv(HEADER + "\n" + noQuantity + "\n" + split + "\n"
        + split.replace("0.6", "0.3").replace("t1", "t2") + "\n");

    assertThat(String.join("\n", problems)).contains(
        "row 1, column PricingQuantity: must not be null on a Usage row",
        "row 1, column PricingCategory: must not be null on a Usage row",
        "AllocatedRatio adds up to 0.9, not 1");
  }
}

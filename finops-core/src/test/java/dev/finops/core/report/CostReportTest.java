package dev.finops.core.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.UsageBucket;
import dev.finops.core.report.CostReport.Group;
import dev.finops.core.report.CostReport.Grouping;
import dev.finops.core.report.CostReport.Line;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CostReportTest {

  private static List<String> names(Grouping g) {
    return g.groups().stream().map(Group::name).collect(Collectors.toList());
  }

  private static Line only(Group g) {
    assertThat(g.lines()).hasSize(1);
    return g.lines().get(0);
  }

  @Test
  void totalIsTheExactSumOfPricedUsage() {
    CostReport r = ReportFixtures.standard().report();

    assertThat(r.takenAt()).isEqualTo(ReportFixtures.T0);
    assertThat(r.currencies()).containsExactly(Money.USD);
    Line total = only(r.total());
    assertThat(total.cost()).isEqualTo(Money.usd("0.37865"));
    assertThat(total.requests()).isEqualTo(7);
    assertThat(total.inputTokens()).isEqualTo(3 * 1_000 + 2 * 10_000 + 100_000 + 1_000);
    assertThat(total.outputTokens()).isEqualTo(3 * 500 + 2 * 2_000 + 10_000 + 1_000);
    // 0.37865 / 7 does not terminate: kept exact, rounded only when presented.
    assertThat(total.costPerRequest().isTerminating()).isFalse();
    assertThat(total.costPerRequest().amount(20))
        .isEqualTo(new BigDecimal("0.37865").divide(BigDecimal.valueOf(7), 20, RoundingMode.HALF_EVEN));
    assertThat(r.total().unpricedRecords()).isEqualTo(3);
  }

  @Test
  void groupsByTeamLargestFirstWithUntaggedLast() {
    CostReport r = ReportFixtures.standard().report();
    Grouping team = r.grouping("team");

    assertThat(names(team)).containsExactly("vision", "nlp", null);
    assertThat(only(team.groups().get(0)).cost()).isEqualTo(Money.usd("0.35"));
    assertThat(only(team.groups().get(1)).cost()).isEqualTo(Money.usd("0.0279"));
    assertThat(only(team.groups().get(2)).cost()).isEqualTo(Money.usd("0.00075"));
    assertThat(team.others()).isNull();
    assertThat(team.groupCount()).isEqualTo(3);

    Line nlp = only(team.groups().get(1));
    assertThat(nlp.requests()).isEqualTo(5);
    assertThat(nlp.costPerRequest()).isEqualTo(Money.usd("0.00558"));
    assertThat(nlp.tokens()).isEqualTo(3 * 1_500 + 2 * 12_000);
    assertThat(nlp.costPer1kTokens()).isEqualTo(Money.usd("0.0279").times(1_000).dividedBy(28_500));
    assertThat(nlp.costPer1mTokens()).isEqualTo(Money.usd("0.0279").times(1_000_000).dividedBy(28_500));
  }

  @Test
  void groupsByExperimentRunModelTagAndResource() {
    CostReport r = ReportFixtures.standard().report();

    assertThat(r.groupings()).extracting(Grouping::name)
        .containsExactly("team", "experiment", "run", "model", CostReport.RESOURCE);
    assertThat(names(r.grouping("experiment"))).containsExactly(null, "lr-sweep");
    assertThat(only(r.grouping("experiment").groups().get(1)).cost()).isEqualTo(Money.usd("0.0225"));
    assertThat(names(r.grouping("run"))).containsExactly("r3", "r1", "r2", null);
    assertThat(names(r.grouping("model"))).containsExactly("big-1", "small-1");
    assertThat(names(r.grouping(CostReport.RESOURCE))).containsExactly("acme/big-1", "acme/small-1");
    assertThat(only(r.grouping(CostReport.RESOURCE).groups().get(0)).cost()).isEqualTo(Money.usd("0.3725"));
    assertThat(only(r.grouping(CostReport.RESOURCE).groups().get(1)).cost()).isEqualTo(Money.usd("0.00615"));
    assertThatThrownBy(() -> r.grouping("customer")).hasMessageContaining("customer");
  }

  @Test
  void topNSumsTheRestIntoOthers() {
    CostReport r = CostReport.builder().topN(2).build(ReportFixtures.standard().ledger.snapshot());
    Grouping run = r.grouping("run");

    assertThat(names(run)).containsExactly("r3", "r1");
    assertThat(run.groupCount()).isEqualTo(4);
    assertThat(run.othersCount()).isEqualTo(2);
    Line others = only(run.others());
    assertThat(others.cost()).isEqualTo(Money.usd("0.0054").plus(Money.usd("0.00075")));
    assertThat(others.requests()).isEqualTo(3);
    assertThat(names(r.grouping(CostReport.RESOURCE))).hasSize(2);
    assertThat(r.grouping(CostReport.RESOURCE).others()).isNull();
  }

  @Test
  void unpricedUsageIsReportedApartAndNeverAsCost() {
    CostReport r = ReportFixtures.standard().report();

    assertThat(r.hasUnpriced()).isTrue();
    assertThat(r.unpricedTotal().records()).isEqualTo(3);
    assertThat(r.unpricedTotal().quantities())
        .containsExactly(Map.entry(UsageBucket.INPUT_UNCACHED, 1_300L), Map.entry(UsageBucket.OUTPUT, 200L));
    assertThat(r.unpricedByResource()).hasSize(1);
    assertThat(r.unpricedByResource().get(0).name()).isEqualTo("acme/mystery-1");
    assertThat(r.unpricedByResource().get(0).records()).isEqualTo(3);

    // Not a $0 group: the unpriced model has no line among the costs.
    assertThat(names(r.grouping(CostReport.RESOURCE))).doesNotContain("acme/mystery-1");
    assertThat(r.grouping(CostReport.RESOURCE).unpricedOnly()).containsExactly("acme/mystery-1");
    assertThat(names(r.grouping("team"))).doesNotContain("audio");
    assertThat(r.grouping("team").unpricedOnly()).containsExactly("audio");
    // vision's cost and requests are its priced usage; its unpriced records are counted apart.
    Group vision = r.grouping("team").groups().get(0);
    assertThat(vision.unpricedRecords()).isEqualTo(2);
    assertThat(only(vision).requests()).isEqualTo(1);
    assertThat(only(vision).inputTokens()).isEqualTo(100_000);
  }

  @Test
  void aReportOfNothingHasNoLines() {
    CostReport r = new ReportFixtures().report();

    assertThat(r.currencies()).isEmpty();
    assertThat(r.total().lines()).isEmpty();
    assertThat(r.hasUnpriced()).isFalse();
    assertThat(r.grouping("team").groups()).isEmpty();
  }

  @Test
  void severalCurrenciesGiveOneLinePerCurrency() {
    ReportFixtures f = ReportFixtures.standard();
    f.record(2, Tags.builder().team("nlp").model("eu-1").build(), "eu-1", 1_000_000, 0);
    CostReport r = f.report();

    assertThat(r.currencies()).containsExactly(ReportFixtures.EUR, Money.USD);
    assertThat(r.total().lines()).extracting(Line::cost)
        .containsExactly(Money.of(new BigDecimal("2"), ReportFixtures.EUR), Money.usd("0.37865"));
    Group nlp = r.grouping("team").groups().get(0);
    assertThat(nlp.name()).isEqualTo("nlp"); // EUR compares first
    assertThat(nlp.lines()).hasSize(2);
    assertThat(nlp.line(ReportFixtures.EUR).requests()).isEqualTo(2);
    assertThat(nlp.line(ReportFixtures.EUR).costPerRequest()).isEqualTo(Money.of(BigDecimal.ONE, ReportFixtures.EUR));
    assertThat(nlp.line(Money.USD).requests()).isEqualTo(5);
    assertThat(nlp.line(Money.USD).cost()).isEqualTo(Money.usd("0.0279"));
  }

  @Test
  void gpuTimeCountsAsGpuHours() {
    ReportFixtures f = new ReportFixtures();
    f.recordGpu(Tags.builder().team("ml").run("train-1").build(), "2.00", 5_400_000); // 1.5 GPU-hours
    f.recordGpu(Tags.builder().team("ml").run("train-1").build(), "2.00", 1_000); // 1/3600 GPU-hour
    Line l = only(f.report().grouping("run").groups().get(0));

    assertThat(l.gpuMillis()).isEqualTo(5_401_000);
    assertThat(l.cost()).isEqualTo(Money.ofFraction(new BigDecimal("2.00").multiply(BigDecimal.valueOf(5_401_000)),
        3_600_000, Money.USD));
    assertThat(l.gpuHours(4)).isEqualByComparingTo("1.5003");
    assertThat(l.gpuHoursPlain()).isEqualTo("1.500277777778");
    assertThat(l.requests()).as("GPU-time slices are not requests").isZero();
    assertThat(l.costPerRequest()).isNull();
    assertThat(l.costPer1kTokens()).isNull();
    assertThat(l.costPer1mTokens()).isNull();
  }

  @Test
  void customTagGroupings() {
    CostReport r = CostReport.builder().groupByTags("team", "customer").byResource(false)
        .build(ReportFixtures.standard().ledger.snapshot());

    assertThat(r.groupings()).extracting(Grouping::name).containsExactly("team", "customer");
    assertThat(names(r.grouping("customer"))).containsExactly((String) null);
    assertThatThrownBy(() -> CostReport.builder().groupByTags("team", "team"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CostReport.builder().topN(0)).isInstanceOf(IllegalArgumentException.class);
    assertThat(CostReport.builder().allGroups().build(ReportFixtures.standard().ledger.snapshot()).topN())
        .isEqualTo(Integer.MAX_VALUE);
  }
}

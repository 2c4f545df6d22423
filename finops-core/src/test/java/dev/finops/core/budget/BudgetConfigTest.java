package dev.finops.core.budget;

import static dev.finops.core.budget.BudgetFixtures.usd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finops.core.ManualClock;
import dev.finops.core.Money;
import dev.finops.core.Tags;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Budgets are built with builders; bad configuration fails at build time, naming the field. */
class BudgetConfigTest {

  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

  @Test
  void a_team_budget_has_windows_limits_and_actions() {
    Budget b = Budget.forTeam("nlp")
        .limit(usd("500")).daily(PARIS)
        .monthly(PARIS, usd("8000"))
        .notifyAt("0.5", "0.8", "0.9")
        .throttleAt("0.9", Duration.ofMillis(250))
        .throttleConcurrencyAt("0.95", 4)
        .terminateAt("1")
        .failOpen()
        .build();

    assertThat(b.scope()).isEqualTo("team=nlp");
    assertThat(b.scopeKey()).isEqualTo(Tags.Key.TEAM);
    assertThat(b.limits()).containsExactly(
        java.util.Map.entry(Window.daily(PARIS), usd("500")), java.util.Map.entry(Window.monthly(PARIS), usd("8000")));
    assertThat(b.notifyThresholds()).containsExactly(new BigDecimal("0.5"), new BigDecimal("0.8"), new BigDecimal("0.9"));
    assertThat(b.throttleDelays()).containsEntry(new BigDecimal("0.9"), Duration.ofMillis(250));
    assertThat(b.throttleConcurrencyThreshold()).isEqualByComparingTo("0.95");
    assertThat(b.maxConcurrent()).isEqualTo(4);
    assertThat(b.terminateThreshold()).isEqualByComparingTo("1");
    assertThat(b.unknownCostPolicy()).isEqualTo(UnknownCostPolicy.FAIL_OPEN);
    assertThat(b.appliesTo(BudgetFixtures.RUN)).isTrue();
    assertThat(b.appliesTo(Tags.builder().team("vision").build())).isFalse();
  }

  @Test
  void without_a_window_the_limit_is_a_lifetime_limit_and_unknown_costs_fail_closed() {
    Budget b = Budget.forRun("r1").limit(usd("10")).build();
    assertThat(b.limits()).containsOnlyKeys(Window.lifetime());
    assertThat(b.unknownCostPolicy()).isEqualTo(UnknownCostPolicy.FAIL_CLOSED);
  }

  @Test
  void thresholds_may_be_big_decimals_or_basis_points() {
    assertThat(Budget.forTeam("a").limit(usd("1")).notifyAt(new BigDecimal("0.75")).build().notifyThresholds())
        .containsExactly(new BigDecimal("0.75"));
    assertThat(Budget.forTeam("a").limit(usd("1")).notifyAtBasisPoints(9000, 5000).build().notifyThresholds())
        .containsExactly(new BigDecimal("0.5"), new BigDecimal("0.9"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-5", "0.0000000000001", "9223373"})
  void a_limit_that_is_not_positive_exact_to_the_pico_and_within_a_long_is_refused(String limit) {
    assertThatThrownBy(() -> Budget.forTeam("nlp").limit(usd(limit)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("limit");
  }

  @Test
  void a_non_terminating_limit_is_refused() {
    assertThatThrownBy(() -> Budget.forTeam("nlp").limit(usd("1").dividedBy(3)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("limit")
        .hasMessageContaining("exact");
  }

  @Test
  void a_window_defined_twice_is_refused() {
    assertThatThrownBy(() -> Budget.forTeam("nlp").limit(usd("5")).daily(PARIS).daily(PARIS, usd("9")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("window:")
        .hasMessageContaining("daily(Europe/Paris) twice");
  }

  @Test
  void a_window_without_a_limit_is_refused() {
    assertThatThrownBy(() -> Budget.forTeam("nlp").weekly(PARIS).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("limit:")
        .hasMessageContaining("weekly(Europe/Paris)");
  }

  @Test
  void limits_in_two_currencies_are_refused() {
    assertThatThrownBy(() -> Budget.forTeam("nlp").limit(usd("5")).daily(PARIS).monthly(PARIS, Money.of("5", "EUR")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mixes currencies");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-0.1", "1.5", "0.12345", "abc"})
  void notification_thresholds_out_of_range_are_refused_naming_the_field(String threshold) {
    assertThatThrownBy(() -> Budget.forTeam("nlp").limit(usd("5")).notifyAt(threshold))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("notifyAt:");
  }

  @Test
  void other_thresholds_are_checked_the_same_way() {
    Budget.Builder b = Budget.forTeam("nlp").limit(usd("5"));
    assertThatThrownBy(() -> b.notifyAt("0.5", "0.5")).hasMessageContaining("given twice");
    assertThatThrownBy(() -> b.notifyAtBasisPoints(10_001)).hasMessageStartingWith("notifyAt:");
    assertThatThrownBy(() -> b.throttleAt("2", Duration.ofSeconds(1))).hasMessageStartingWith("throttleAt:");
    assertThatThrownBy(() -> b.throttleAt("0.5", Duration.ZERO)).hasMessageStartingWith("throttleAt:");
    assertThatThrownBy(() -> b.throttleConcurrencyAt("0.5", 0)).hasMessageStartingWith("throttleConcurrencyAt:");
    assertThatThrownBy(() -> b.terminateAt("0")).hasMessageStartingWith("terminateAt:");
  }

  @Test
  void an_unknown_tag_key_or_a_bad_value_is_refused() {
    assertThatThrownBy(() -> Budget.forScope("department", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("scope:")
        .hasMessageContaining("department");
    assertThatThrownBy(() -> Budget.forTeam(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("team");
    assertThatThrownBy(() -> Budget.forTeam(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("scope:");
    assertThat(Budget.forScope("experiment", "lr").limit(usd("1")).build().scope()).isEqualTo("experiment=lr");
  }

  @Test
  void a_rolling_window_needs_a_second_and_a_sane_sub_bucket_count() {
    assertThatThrownBy(() -> Window.rolling(Duration.ofMillis(999))).hasMessageStartingWith("window:");
    assertThatThrownBy(() -> Window.rolling(Duration.ofHours(1), 0)).hasMessageStartingWith("window:");
    assertThat(Window.rolling(Duration.ofHours(24)).toString()).isEqualTo("rolling(PT24H)");
  }

  @Test
  void a_manager_takes_one_budget_per_scope_in_its_currency() {
    BudgetManager m = BudgetManager.builder().clock(ManualClock.at(BudgetFixtures.T0)).build();
    m.add(Budget.forTeam("nlp").limit(usd("5")).build());
    assertThatThrownBy(() -> m.add(Budget.forTeam("nlp").limit(usd("7")).daily(PARIS).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("scope:");
    assertThatThrownBy(() -> m.add(Budget.forTeam("cv").limit(Money.of("5", "EUR")).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("EUR");
    assertThatThrownBy(() -> BudgetManager.builder().reservationTtl(Duration.ZERO))
        .hasMessageContaining("reservationTtl");
    assertThatThrownBy(() -> m.estimator()).isInstanceOf(IllegalStateException.class);
    assertThat(m.budgets()).hasSize(1);
    assertThat(m.remove(Budget.forTeam("nlp").limit(usd("1")).build())).isTrue();
    assertThat(m.budgets()).isEmpty();
  }

  @Test
  void budgets_are_listed_by_tag_key_then_in_registration_order() {
    BudgetManager m = BudgetManager.builder().clock(ManualClock.at(BudgetFixtures.T0)).build();
    java.util.List<String> teams = new java.util.ArrayList<>();
    for (int i = 0; i < 40; i++) { // enough values that a hash map's order differs from this one
      teams.add("team-" + (char) ('z' - i % 26) + i);
    }
    m.add(Budget.forExperiment("sweep").limit(usd("1")).build());
    for (String t : teams) {
      m.add(Budget.forTeam(t).limit(usd("1")).build());
    }
    m.add(Budget.forOrg("acme").limit(usd("1")).build());
    m.remove(Budget.forTeam(teams.get(3)).limit(usd("1")).build());
    teams.remove(3);

    java.util.List<String> expected = new java.util.ArrayList<>();
    expected.add("org=acme");
    teams.forEach(t -> expected.add("team=" + t));
    expected.add("experiment=sweep");
    assertThat(m.budgets()).extracting(b -> b.scopeKey().tagName() + "=" + b.scopeValue())
        .containsExactlyElementsOf(expected);
  }
}

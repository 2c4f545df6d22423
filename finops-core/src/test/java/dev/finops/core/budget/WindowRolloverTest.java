package dev.finops.core.budget;

import static dev.finops.core.budget.BudgetFixtures.RUN;
import static dev.finops.core.budget.BudgetFixtures.usd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finops.core.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** Windows roll over on the injected clock, in the budget's time zone, daylight-saving days included. */
class WindowRolloverTest {

  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

  private final ManualClock clock = ManualClock.at(Instant.parse("2026-03-02T22:30:00Z")); // 23:30 in Paris
  private final BudgetManager budgets = BudgetManager.builder().clock(clock).build();

  private BudgetStatus status(Budget b, Window w) {
    return budgets.status(b).stream().filter(s -> s.window().equals(w)).findFirst().orElseThrow();
  }

  private void spend(String amount) {
    budgets.reserve(RUN, Estimate.of(usd(amount))).settle(usd(amount));
  }

  @Test
  void a_daily_window_resets_at_midnight_in_the_budget_time_zone() {
    Budget b = Budget.forTeam("nlp").limit(usd("10")).daily(PARIS).build();
    budgets.add(b);
    spend("8");
    BudgetStatus s = status(b, Window.daily(PARIS));
    assertThat(s.spent()).isEqualTo(usd("8"));
    assertThat(s.periodStart()).isEqualTo(Instant.parse("2026-03-01T23:00:00Z"));
    assertThat(s.periodEnd()).isEqualTo(Instant.parse("2026-03-02T23:00:00Z"));

    clock.setWallTime(Instant.parse("2026-03-02T22:59:59.999Z"));
    assertThatThrownBy(() -> spend("3")).isInstanceOf(BudgetExceededException.class);

    clock.setWallTime(Instant.parse("2026-03-02T23:00:00Z")); // midnight in Paris
    spend("3");
    s = status(b, Window.daily(PARIS));
    assertThat(s.spent()).isEqualTo(usd("3"));
    assertThat(s.periodStart()).isEqualTo(Instant.parse("2026-03-02T23:00:00Z"));
  }

  /**
   * Spends 6 of a daily limit of 10 at {@code during}; checks the day's bounds and length; then 5 more
   * are refused at {@code lastMinute} and admitted at {@code end}, the next day.
   */
  private void checkDay(String during, String start, String end, Duration length, String lastMinute) {
    clock.setWallTime(Instant.parse(during));
    Budget b = Budget.forTeam("nlp").limit(usd("10")).daily(PARIS).build();
    budgets.add(b);
    spend("6");
    BudgetStatus s = status(b, Window.daily(PARIS));
    assertThat(s.periodStart()).isEqualTo(Instant.parse(start));
    assertThat(s.periodEnd()).isEqualTo(Instant.parse(end));
    assertThat(Duration.between(s.periodStart(), s.periodEnd())).isEqualTo(length);

    clock.setWallTime(Instant.parse(lastMinute));
    assertThatThrownBy(() -> spend("5")).isInstanceOf(BudgetExceededException.class);
    clock.setWallTime(Instant.parse(end));
    spend("5");
    assertThat(status(b, Window.daily(PARIS)).periodStart()).isEqualTo(Instant.parse(end));
  }

  @Test
  void the_spring_forward_day_is_23_hours_long() {
    // 2026-03-29 in Paris: from 00:00 CET (23:00Z the day before) to 00:00 CEST (22:00Z); 23:59 CEST is still the 29th
    checkDay("2026-03-29T12:00:00Z", "2026-03-28T23:00:00Z", "2026-03-29T22:00:00Z", Duration.ofHours(23),
        "2026-03-29T21:59:00Z");
  }

  @Test
  void the_fall_back_day_is_25_hours_long() {
    // 2026-10-25 in Paris: from 00:00 CEST (22:00Z the day before) to 00:00 CET (23:00Z); 23:30 CET is still the 25th
    checkDay("2026-10-25T00:30:00Z", "2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z", Duration.ofHours(25),
        "2026-10-25T22:30:00Z");
  }

  @Test
  void weeks_start_on_monday_and_months_on_the_first() {
    clock.setWallTime(Instant.parse("2026-03-08T12:00:00Z")); // a Sunday
    Budget b = Budget.forTeam("nlp").limit(usd("10")).weekly(PARIS).monthly(PARIS, usd("100")).build();
    budgets.add(b);
    spend("7");
    BudgetStatus week = status(b, Window.weekly(PARIS));
    assertThat(week.periodStart()).isEqualTo(Instant.parse("2026-03-01T23:00:00Z")); // Monday 2 March, 00:00
    assertThat(week.periodEnd()).isEqualTo(Instant.parse("2026-03-08T23:00:00Z"));
    BudgetStatus month = status(b, Window.monthly(PARIS));
    assertThat(month.periodStart()).isEqualTo(Instant.parse("2026-02-28T23:00:00Z"));
    assertThat(month.periodEnd()).isEqualTo(Instant.parse("2026-03-31T22:00:00Z")); // CEST by then

    clock.setWallTime(Instant.parse("2026-03-08T23:00:00Z")); // Monday 9 March
    spend("7");
    assertThat(status(b, Window.weekly(PARIS)).spent()).isEqualTo(usd("7"));
    assertThat(status(b, Window.monthly(PARIS)).spent()).isEqualTo(usd("14"));
  }

  @Test
  void every_window_of_a_budget_must_have_room() {
    Budget b = Budget.forTeam("nlp").limit(usd("10")).daily(PARIS).monthly(PARIS, usd("15")).build();
    budgets.add(b);
    spend("9");
    clock.advance(Duration.ofHours(1)); // the next day in Paris
    assertThatThrownBy(() -> spend("7"))
        .isInstanceOfSatisfying(BudgetExceededException.class,
            e -> assertThat(e.window()).isEqualTo(Window.monthly(PARIS)));
    assertThat(status(b, Window.daily(PARIS)).used()).isEqualTo(usd("0")); // all or nothing
    spend("6");
  }

  @Test
  void a_reservation_made_before_midnight_is_settled_in_its_own_day() {
    Budget b = Budget.forTeam("nlp").limit(usd("10")).daily(PARIS).build();
    budgets.add(b);
    clock.setWallTime(Instant.parse("2026-03-02T22:59:00Z"));
    Reservation late = budgets.reserve(RUN, Estimate.of(usd("9")));
    clock.advance(Duration.ofMinutes(2));
    late.settle(usd("8"));
    assertThat(status(b, Window.daily(PARIS)).spent()).isEqualTo(usd("0"));
    spend("10");
  }

  @Test
  void a_rolling_window_keeps_spend_for_at_least_its_length() {
    clock.setWallTime(Instant.parse("2026-03-02T10:00:00Z")); // the start of a 24-minute sub-bucket
    Window last24h = Window.rolling(Duration.ofHours(24));
    Budget b = Budget.forTeam("nlp").limit(usd("10")).rolling(Duration.ofHours(24)).build();
    budgets.add(b);
    spend("6");

    clock.setWallTime(Instant.parse("2026-03-03T09:59:59.999Z"));
    assertThat(status(b, last24h).spent()).isEqualTo(usd("6"));
    assertThatThrownBy(() -> spend("5")).isInstanceOf(BudgetExceededException.class);
    clock.setWallTime(Instant.parse("2026-03-03T10:00:00Z"));
    assertThat(status(b, last24h).spent()).isEqualTo(usd("6")); // never less than the window's length

    clock.setWallTime(Instant.parse("2026-03-03T10:24:00Z")); // one sub-bucket later: gone
    BudgetStatus s = status(b, last24h);
    assertThat(s.spent()).isEqualTo(usd("0"));
    assertThat(s.used()).isEqualTo(usd("0"));
    assertThat(s.periodStart()).isEqualTo(Instant.parse("2026-03-02T10:24:00Z"));
    spend("10");
  }

  @Test
  void a_rolling_window_drops_spend_sub_bucket_by_sub_bucket() {
    clock.setWallTime(Instant.parse("2026-03-02T10:00:00Z"));
    Window lastHour = Window.rolling(Duration.ofHours(1), 4); // 15-minute sub-buckets
    Budget b = Budget.forTeam("nlp").window(lastHour, usd("10")).build();
    budgets.add(b);
    for (int i = 0; i < 8; i++) { // 1 each quarter hour for two hours
      spend("1");
      clock.advance(Duration.ofMinutes(15));
    }
    // now 12:00; the live sub-buckets 11:00 .. 12:00 hold the spends of 11:00, 11:15, 11:30 and 11:45
    assertThat(status(b, lastHour).spent()).isEqualTo(usd("4"));
    Reservation r = budgets.reserve(RUN, Estimate.of(usd("5")));
    assertThat(status(b, lastHour).used()).isEqualTo(usd("9"));
    clock.advance(Duration.ofMinutes(15));
    r.settle(usd("2")); // its sub-bucket (12:00) is still live: the refund of 3 comes off it
    assertThat(status(b, lastHour).spent()).isEqualTo(usd("5")); // 11:15, 11:30, 11:45 and the 2
    assertThat(status(b, lastHour).used()).isEqualTo(usd("5"));
  }
  /**
   * A reservation expired after its sub-bucket left a rolling window: the window already let its amount
   * go, so the expiry books nothing in it now (no second admission on top of a late-booked spend, no
   * threshold fired on it).
   */
  @Test
  void a_reservation_expired_after_its_sub_bucket_left_a_rolling_window_is_not_booked_again() {
    clock.setWallTime(Instant.parse("2026-03-02T10:00:00Z"));
    BudgetFixtures.Events events = new BudgetFixtures.Events();
    BudgetManager manager = BudgetFixtures.manager(clock).listener(events).build();
    Window lastHour = Window.rolling(Duration.ofHours(1), 4);
    Budget b = Budget.forTeam("nlp").window(lastHour, usd("100")).notifyAt("0.5").terminateAt("1").build();
    manager.add(b);
    Reservation forgotten = manager.reserve(RUN, Estimate.of(usd("100")));

    clock.advance(Duration.ofHours(2)); // no traffic, no sweep: the next reservation expires it
    Reservation next = manager.reserve(RUN, Estimate.of(usd("100")));
    assertThat(forgotten.state()).isEqualTo(Reservation.State.EXPIRED);
    BudgetStatus s = manager.status(b).get(0);
    assertThat(s.spent()).isEqualTo(usd("0"));
    assertThat(s.reserved()).isEqualTo(usd("100"));
    assertThat(events.of(BudgetEvent.Type.THRESHOLD)).isEmpty();
    assertThat(events.of(BudgetEvent.Type.TERMINATE)).isEmpty();

    next.settle(usd("100"));
    s = manager.status(b).get(0);
    assertThat(s.spent()).isEqualTo(usd("100"));
    assertThat(s.reserved()).isEqualTo(usd("0"));
    assertThat(events.of(BudgetEvent.Type.TERMINATE)).hasSize(1);
    assertThatThrownBy(() -> manager.reserve(RUN, Estimate.of(usd("0.01"))))
        .isInstanceOf(BudgetExceededException.class);
  }

  /**
   * Settled spend counts in a rolling window from its reservation, like the reservation itself: a
   * settlement in a later sub-bucket does not keep it in the window after the reservation has left.
   */
  @Test
  void settled_spend_leaves_a_rolling_window_with_its_reservation() {
    clock.setWallTime(Instant.parse("2026-03-02T10:14:00Z"));
    Window lastHour = Window.rolling(Duration.ofHours(1), 4); // 15-minute sub-buckets
    Budget b = Budget.forTeam("nlp").window(lastHour, usd("100")).build();
    budgets.add(b);
    Reservation first = budgets.reserve(RUN, Estimate.of(usd("100"))); // sub-bucket 10:00
    clock.advance(Duration.ofMinutes(2));
    first.settle(usd("100")); // at 10:16, in sub-bucket 10:15

    clock.setWallTime(Instant.parse("2026-03-02T11:15:00Z")); // sub-bucket 10:00 has left, 10:15 has not
    assertThat(status(b, lastHour).used()).isEqualTo(usd("0"));
    assertThat(status(b, lastHour).spent()).isEqualTo(usd("0"));
    Reservation second = budgets.reserve(RUN, Estimate.of(usd("100")));
    assertThat(status(b, lastHour).reserved()).isEqualTo(usd("100"));
    clock.advance(Duration.ofMinutes(1));
    second.settle(usd("100"));
    assertThat(status(b, lastHour).spent()).isEqualTo(usd("100"));
  }
}

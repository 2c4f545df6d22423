package dev.finops.core.ledger;

import static dev.finops.core.ledger.LedgerFixtures.PROVIDER;
import static dev.finops.core.ledger.LedgerFixtures.tags;
import static dev.finops.core.ledger.LedgerFixtures.tokens;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finops.core.ManualClock;
import dev.finops.core.Money;
import dev.finops.core.UsageBucket;
import dev.finops.core.pricing.BoundModel;
import dev.finops.core.pricing.PricedUsage;
import dev.finops.core.pricing.Pricing;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Time buckets of one account on m1, where 100,000 input tokens cost 0.25 (2.50 per 1M). Every
 * record below is {@code n × 100,000} input tokens, so its cost is {@code n × 0.25}.
 */
class LedgerTimeBucketsTest {

  private static final Duration MINUTE = Duration.ofMinutes(1);
  private static final Duration HOUR = Duration.ofHours(1);
  private static final Duration DAY = Duration.ofDays(1);

  private final ManualClock clock = LedgerFixtures.clock();
  private final Pricing pricing = LedgerFixtures.pricing(LedgerFixtures.tokenCatalog());
  private final BoundModel m1 = pricing.bind(PROVIDER, "m1");

  private static Instant at(String isoInstant) {
    return Instant.parse(isoInstant);
  }

  /** Sets the clock to {@code when} and records {@code quarters × 0.25} of m1 input at that time. */
  private void recordAt(Account account, String when, int quarters) {
    clock.setWallTime(at(when));
    account.record(m1, tokens(quarters * 100_000L, 0));
  }

  /** Records {@code quarters × 0.25} with the given timestamp, whatever the clock says (a late record). */
  private void recordLate(Account account, String when, int quarters) {
    long t = at(when).toEpochMilli();
    account.record(pricing.price(PROVIDER, "m1", tokens(quarters * 100_000L, 0), t), t);
  }

  private static <V> Map<Instant, V> perBucket(LedgerSnapshot snapshot, Duration granularity,
      Function<LedgerSnapshot.Totals, V> figure) {
    Map<Instant, V> out = new LinkedHashMap<>();
    snapshot.byTimeBucket(granularity).forEach((start, totals) -> out.put(start, figure.apply(totals)));
    return out;
  }

  private static Map<Instant, Money> costs(LedgerSnapshot snapshot, Duration granularity) {
    return perBucket(snapshot, granularity, LedgerSnapshot.Totals::cost);
  }

  private static Map<Instant, Long> records(LedgerSnapshot snapshot, Duration granularity) {
    return perBucket(snapshot, granularity, LedgerSnapshot.Totals::records);
  }

  /** Six records from 10:00 on 2 March to just after midnight; 9.75 in all. */
  private Account recordADayAndABit(Ledger ledger) {
    Account a = ledger.account(tags("nlp", "m1"));
    recordAt(a, "2026-03-02T10:00:05Z", 4); // 1.00
    recordAt(a, "2026-03-02T10:00:50Z", 2); // 0.50, same minute
    recordAt(a, "2026-03-02T10:01:10Z", 10); // 2.50
    recordAt(a, "2026-03-02T10:59:59.999Z", 1); // 0.25, last millisecond of the hour
    recordAt(a, "2026-03-02T11:00:00Z", 20); // 5.00, first millisecond of the next
    recordAt(a, "2026-03-03T00:00:30Z", 2); // 0.50, the next day
    return a;
  }

  @Test
  void recordsInDifferentMinutesHoursAndDaysSumExactlyIntoTheirBuckets() {
    Ledger ledger = LedgerFixtures.ledger(clock);
    recordADayAndABit(ledger);

    LedgerSnapshot snapshot = ledger.snapshot();

    assertThat(costs(snapshot, MINUTE)).containsExactly(
        Map.entry(at("2026-03-02T10:00:00Z"), Money.usd("1.50")),
        Map.entry(at("2026-03-02T10:01:00Z"), Money.usd("2.50")),
        Map.entry(at("2026-03-02T10:59:00Z"), Money.usd("0.25")),
        Map.entry(at("2026-03-02T11:00:00Z"), Money.usd("5.00")),
        Map.entry(at("2026-03-03T00:00:00Z"), Money.usd("0.50")));
    assertThat(records(snapshot, MINUTE).get(at("2026-03-02T10:00:00Z"))).isEqualTo(2);
    assertThat(costs(snapshot, HOUR)).containsExactly(
        Map.entry(at("2026-03-02T10:00:00Z"), Money.usd("4.25")),
        Map.entry(at("2026-03-02T11:00:00Z"), Money.usd("5.00")),
        Map.entry(at("2026-03-03T00:00:00Z"), Money.usd("0.50")));
    assertThat(records(snapshot, HOUR).get(at("2026-03-02T10:00:00Z"))).isEqualTo(4);
    assertThat(costs(snapshot, DAY)).containsExactly(
        Map.entry(at("2026-03-02T00:00:00Z"), Money.usd("9.25")),
        Map.entry(at("2026-03-03T00:00:00Z"), Money.usd("0.50")));
    assertThat(snapshot.total().cost()).isEqualTo(Money.usd("9.75"));
  }

  @Test
  void aLateRecordLandsInItsOwnMinuteNotTheCurrentOne() {
    Ledger ledger = LedgerFixtures.ledger(clock);
    Account a = recordADayAndABit(ledger);

    recordLate(a, "2026-03-02T10:30:15Z", 8); // 2.00 into a minute that had no slot
    recordLate(a, "2026-03-02T10:01:40Z", 1); // 0.25 into the existing 10:01 slot
    LedgerSnapshot snapshot = ledger.snapshot();

    Map<Instant, Money> minutes = costs(snapshot, MINUTE);
    assertThat(minutes).containsEntry(at("2026-03-02T10:30:00Z"), Money.usd("2.00"))
        .containsEntry(at("2026-03-02T10:01:00Z"), Money.usd("2.75"))
        .containsEntry(at("2026-03-03T00:00:00Z"), Money.usd("0.50"))
        .hasSize(6);
    assertThat(snapshot.filter(e -> e.startMillis() == at("2026-03-02T10:30:00Z").toEpochMilli()).entries())
        .singleElement()
        .satisfies(e -> {
          assertThat(e.endMillis()).isEqualTo(at("2026-03-02T10:31:00Z").toEpochMilli());
          assertThat(e.records()).isEqualTo(1);
        });
    assertThat(costs(snapshot, HOUR)).containsEntry(at("2026-03-02T10:00:00Z"), Money.usd("6.50"));
    assertThat(costs(snapshot, DAY)).containsEntry(at("2026-03-02T00:00:00Z"), Money.usd("11.50"));
    assertThat(snapshot.total().cost()).isEqualTo(Money.usd("12.00"));
    assertThat(snapshot.total().records()).isEqualTo(8);
  }

  @Test
  void betweenKeepsOnlyTheSlotsInsideTheRange() {
    Ledger ledger = LedgerFixtures.ledger(clock);
    recordADayAndABit(ledger);

    LedgerSnapshot tenToEleven = ledger.snapshot().between(at("2026-03-02T10:00:00Z"), at("2026-03-02T11:00:00Z"));

    assertThat(tenToEleven.total().cost()).isEqualTo(Money.usd("4.25"));
  }

  @Test
  void timeBucketsOtherThanAMinuteAnHourOrADayAreRejected() {
    LedgerSnapshot empty = LedgerFixtures.ledger(clock).snapshot();

    assertThatThrownBy(() -> empty.byTimeBucket(Duration.ofMinutes(5)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT5M");
  }

  @Test
  void retentionKeepsMinuteSlotsForAtLeastAnHourAndHorizonsMustNotDecrease() {
    assertThatThrownBy(() -> Retention.of(Duration.ofMinutes(59), Duration.ofHours(3), Duration.ofDays(2)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 hour");
    assertThatThrownBy(() -> Retention.of(Duration.ofHours(4), Duration.ofHours(3), Duration.ofDays(2)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not decrease");
    assertThatThrownBy(() -> Retention.of(Duration.ofHours(1), Duration.ofDays(3), Duration.ofDays(2)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * Retention: minute slots for 1 hour, hour slots to 3 hours, day slots to 2 days. Now is 5 March
   * 12:30; each slot's age is now − its end.
   */
  private Ledger compactingLedgerWithNineRecords() {
    Ledger ledger = Ledger.builder().clock(clock)
        .retention(Retention.of(Duration.ofHours(1), Duration.ofHours(3), Duration.ofDays(2)))
        .build();
    Account a = ledger.account(tags("nlp", "m1"));
    recordAt(a, "2026-03-01T05:00:00Z", 1); // 0.25, age 4d 7h29m: everything older
    recordAt(a, "2026-03-02T08:00:00Z", 2); // 0.50, age 3d 4h29m: everything older
    recordAt(a, "2026-03-04T20:00:00Z", 4); // 1.00, age 16h29m: day slot of 4 March
    recordAt(a, "2026-03-04T21:00:00Z", 8); // 2.00, age 15h29m: day slot of 4 March
    recordAt(a, "2026-03-05T10:10:00Z", 10); // 2.50, age 2h19m: hour slot 10:00
    recordAt(a, "2026-03-05T10:40:00Z", 3); // 0.75, age 1h49m: hour slot 10:00
    recordAt(a, "2026-03-05T11:05:00Z", 20); // 5.00, age 1h24m: hour slot 11:00
    recordAt(a, "2026-03-05T11:20:00Z", 1); // 0.25, age 1h09m: hour slot 11:00
    recordAt(a, "2026-03-05T12:25:00Z", 5); // 1.25, age 4m: stays a minute slot (and slots within an hour of it too)
    clock.setWallTime(at("2026-03-05T12:30:00Z"));
    return ledger;
  }

  @Test
  void compactionMergesOldMinuteSlotsIntoHourAndDaySlotsWithoutChangingTotals() {
    Ledger ledger = compactingLedgerWithNineRecords();
    LedgerSnapshot before = ledger.snapshot();
    assertThat(before.entries()).hasSize(9);

    ledger.compact();
    LedgerSnapshot after = ledger.snapshot();

    // 0.25 + 0.50 + 1.00 + 2.00 + 2.50 + 0.75 + 5.00 + 0.25 + 1.25 = 13.50
    assertThat(after.total().cost()).isEqualTo(before.total().cost()).isEqualTo(Money.usd("13.50"));
    assertThat(after.total().records()).isEqualTo(9);
    assertThat(after.total().quantity(UsageBucket.INPUT_UNCACHED)).isEqualTo(5_400_000);
    // the catch-all, one day slot, two hour slots and the recent minute slot
    assertThat(after.entries()).hasSize(5);
    Map<Instant, Money> hours = costs(after, HOUR);
    assertThat(hours).containsEntry(at("2026-03-05T10:00:00Z"), Money.usd("3.25"))
        .containsEntry(at("2026-03-05T11:00:00Z"), Money.usd("5.25"))
        .containsEntry(at("2026-03-05T12:00:00Z"), Money.usd("1.25"));
    assertThat(costs(after, DAY)).containsEntry(at("2026-03-04T00:00:00Z"), Money.usd("3.00"))
        .containsEntry(at("2026-03-05T00:00:00Z"), Money.usd("9.75"));
    assertThat(records(after, HOUR).get(at("2026-03-05T11:00:00Z"))).isEqualTo(2);
  }

  @Test
  void compactionGathersDataOlderThanTheDayHorizonInOneSlotThatStartsAtLongMinValue() {
    Ledger ledger = compactingLedgerWithNineRecords();

    ledger.compact();
    LedgerSnapshot after = ledger.snapshot();

    // 1 March (0.25) and 2 March (0.50) are both older than 2 days: one slot of everything older
    assertThat(after.filter(e -> e.startMillis() == Long.MIN_VALUE).entries()).singleElement()
        .satisfies(e -> {
          assertThat(e.cost()).isEqualTo(Money.usd("0.75"));
          assertThat(e.records()).isEqualTo(2);
          assertThat(e.endMillis()).isEqualTo(at("2026-03-02T08:01:00Z").toEpochMilli());
        });
    assertThat(costs(after, DAY)).containsEntry(Instant.EPOCH, Money.usd("0.75"))
        .doesNotContainKeys(at("2026-03-01T00:00:00Z"), at("2026-03-02T00:00:00Z"));
  }

  @Test
  void betweenIncludesCompactedSlotsThatStraddleABoundAndReportsTheWiderIntervalItCovers() {
    Ledger ledger = compactingLedgerWithNineRecords();
    ledger.compact();
    LedgerSnapshot all = ledger.snapshot();

    // 10:30..11:10 cuts through both hour slots: 10:10..10:41 (3.25) and 11:05..11:21 (5.25)
    LedgerSnapshot cut = all.between(at("2026-03-05T10:30:00Z"), at("2026-03-05T11:10:00Z"));

    assertThat(cut.total().cost()).isEqualTo(Money.usd("8.50"));
    assertThat(cut.total().records()).isEqualTo(4);
    assertThat(cut.coveredFrom()).contains(at("2026-03-05T10:10:00Z"));
    assertThat(cut.coveredTo()).contains(at("2026-03-05T11:21:00Z"));
    assertThat(cut.isWidened()).isTrue();
    // the covered interval, asked for, gives the same money: nothing was dropped or counted twice
    assertThat(all.between(cut.coveredFrom().orElseThrow(), cut.coveredTo().orElseThrow()).total().cost())
        .isEqualTo(Money.usd("8.50"));
  }

  @Test
  void adjacentIntervalsOverCompactedSlotsNeverDropMoney() {
    Ledger ledger = compactingLedgerWithNineRecords();
    ledger.compact();
    LedgerSnapshot all = ledger.snapshot();
    Instant cut = at("2026-03-04T20:30:00Z"); // inside the day slot of 4 March (20:00..21:01)

    LedgerSnapshot before = all.between(at("2026-03-04T00:00:00Z"), cut);
    LedgerSnapshot after = all.between(cut, at("2026-03-06T00:00:00Z"));

    // the straddling day slot (3.00) is in both, and each says it covers past the cut
    assertThat(before.total().cost()).isEqualTo(Money.usd("3.00"));
    assertThat(before.coveredTo()).contains(at("2026-03-04T21:01:00Z"));
    assertThat(after.total().cost()).isEqualTo(Money.usd("3.00").plus(Money.usd("9.75")));
    assertThat(after.coveredFrom()).contains(at("2026-03-04T20:00:00Z"));
  }

  @Test
  void betweenOverTheSlotOfEverythingOlderCoversAnUnboundedStart() {
    Ledger ledger = compactingLedgerWithNineRecords();
    ledger.compact();

    LedgerSnapshot march2 = ledger.snapshot().between(at("2026-03-02T00:00:00Z"), at("2026-03-03T00:00:00Z"));

    assertThat(march2.total().cost()).isEqualTo(Money.usd("0.75"));
    assertThat(march2.coveredFrom()).isEmpty();
    assertThat(march2.coveredTo()).contains(at("2026-03-03T00:00:00Z"));
  }

  @Test
  void betweenOnMinuteSlotsCoversExactlyTheIntervalAskedFor() {
    Ledger ledger = LedgerFixtures.ledger(clock);
    recordADayAndABit(ledger);

    LedgerSnapshot s = ledger.snapshot().between(at("2026-03-02T10:00:00Z"), at("2026-03-02T11:00:00Z"));

    assertThat(s.coveredFrom()).contains(at("2026-03-02T10:00:00Z"));
    assertThat(s.coveredTo()).contains(at("2026-03-02T11:00:00Z"));
    assertThat(s.isWidened()).isFalse();
    assertThat(ledger.snapshot().coveredFrom()).isEmpty();
    assertThat(ledger.snapshot().coveredTo()).isEmpty();
    assertThat(s.where("team", "nlp").coveredTo()).isEqualTo(s.coveredTo());
  }

  @Test
  void betweenRefusesAnIntervalThatEndsBeforeItStarts() {
    LedgerSnapshot empty = LedgerFixtures.ledger(clock).snapshot();

    assertThatThrownBy(() -> empty.between(at("2026-03-02T11:00:00Z"), at("2026-03-02T10:00:00Z")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("from").hasMessageContaining("to");
    assertThatThrownBy(() -> empty.between(null, at("2026-03-02T10:00:00Z")))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("from");
  }

  @Test
  void compactionIsIdempotentAndLeavesRecentSlotsAlone() {
    Ledger ledger = compactingLedgerWithNineRecords();
    ledger.compact();
    LedgerSnapshot once = ledger.snapshot();

    ledger.compact();
    LedgerSnapshot twice = ledger.snapshot();

    assertThat(costs(twice, MINUTE)).isEqualTo(costs(once, MINUTE));
    assertThat(costs(twice, MINUTE)).containsEntry(at("2026-03-05T12:25:00Z"), Money.usd("1.25"));
  }

  @Test
  void recordingAfterCompactionFindsTheMergedSlotsAndOpensNewMinutes() {
    Ledger ledger = compactingLedgerWithNineRecords();
    ledger.compact();
    Account a = ledger.account(tags("nlp", "m1"));

    recordLate(a, "2026-03-05T11:10:00Z", 4); // 1.00 inside the merged 11:05–11:21 slot
    recordLate(a, "2026-03-05T11:50:00Z", 2); // 0.50 between the merged slot and 12:10
    recordLate(a, "2026-02-01T00:00:00Z", 1); // 0.25 far older than everything: the catch-all
    recordAt(a, "2026-03-05T12:30:10Z", 1); // 0.25 a new head minute
    LedgerSnapshot snapshot = ledger.snapshot();

    assertThat(snapshot.total().cost()).isEqualTo(Money.usd("15.50"));
    assertThat(snapshot.total().records()).isEqualTo(13);
    assertThat(costs(snapshot, HOUR)).containsEntry(at("2026-03-05T11:00:00Z"), Money.usd("6.75"))
        .containsEntry(at("2026-03-05T12:00:00Z"), Money.usd("1.50"));
    assertThat(costs(snapshot, MINUTE)).containsEntry(at("2026-03-05T11:50:00Z"), Money.usd("0.50"))
        .containsEntry(Instant.EPOCH, Money.usd("1.00"));
  }

  @Test
  void lateRecordsOlderThanTheSettleTimeAreNotLostToAConcurrentCompaction() throws Exception {
    Ledger ledger = Ledger.builder().clock(clock)
        .retention(Retention.of(Duration.ofHours(1), Duration.ofHours(3), Duration.ofDays(2)))
        .build();
    Account a = ledger.account(tags("nlp", "m1"));
    a.record(m1, tokens(0, 0)); // the head slot, at T0
    long now = clock.wallTimeMillis();
    PricedUsage oneToken = pricing.price(PROVIDER, "m1", tokens(1, 0), now);
    int n = 200_000;
    AtomicBoolean writing = new AtomicBoolean(true);

    LedgerFixtures.concurrently(List.<Callable<Void>>of(
        () -> {
          // from 2 hours ago backwards, a second a record: each new minute slot is merged into the
          // hour, day or everything-older slot by the compactor while the writer may still be adding
          for (int i = 0; i < n; i++) {
            a.record(oneToken, now - Duration.ofHours(2).toMillis() - i * 1_000L);
          }
          writing.set(false);
          return null;
        },
        () -> {
          while (writing.get()) {
            ledger.compact();
          }
          return null;
        }));

    LedgerSnapshot.Totals total = ledger.snapshot().total();
    assertThat(total.quantity(UsageBucket.INPUT_UNCACHED)).isEqualTo(n);
    assertThat(total.records()).isEqualTo(n + 1);
  }

  @Test
  void compactionLeavesTheSlotBeforeTheNewestAloneEvenWhenRecordsAreBackDated() {
    // A replay of last week's usage: by the wall clock every slot is old, but the slot just before the
    // newest may still have a writer in flight, so it must not be merged away.
    Ledger ledger = LedgerFixtures.ledger(clock);
    Account a = ledger.account(tags("nlp", "m1"));
    clock.setWallTime(at("2026-11-10T12:00:00Z"));
    recordLate(a, "2026-11-03T09:00:10Z", 1);
    recordLate(a, "2026-11-03T09:01:10Z", 2);

    ledger.compact();

    assertThat(perBucket(ledger.snapshot(), MINUTE, LedgerSnapshot.Totals::records))
        .containsEntry(at("2026-11-03T09:00:00Z"), 1L)
        .containsEntry(at("2026-11-03T09:01:00Z"), 1L);
  }
}

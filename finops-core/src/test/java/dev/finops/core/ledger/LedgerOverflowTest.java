package dev.finops.core.ledger;

import static dev.finops.core.ledger.LedgerFixtures.PROVIDER;
import static dev.finops.core.ledger.LedgerFixtures.tokens;
import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.core.ManualClock;
import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.pricing.BoundModel;
import dev.finops.core.pricing.Pricing;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

class LedgerOverflowTest {

  private final ManualClock clock = LedgerFixtures.clock();
  private final Ledger ledger = Ledger.builder().clock(clock).maxAccounts(3).build();
  private final Pricing pricing = LedgerFixtures.pricing(LedgerFixtures.tokenCatalog());
  private final BoundModel m1 = pricing.bind(PROVIDER, "m1");

  private static Tags team(String name) {
    return Tags.builder().team(name).build();
  }

  @Test
  void theFirstTagSetsUpToTheCapGetTheirOwnAccountsAndLaterOnesTheOverflowAccount() {
    Account a = ledger.account(team("a"));
    Account b = ledger.account(team("b"));
    Account c = ledger.account(team("c"));
    Account d = ledger.account(team("d"));
    Account e = ledger.account(team("e"));

    assertThat(List.of(a, b, c)).doesNotHaveDuplicates().noneMatch(Account::isOverflow);
    assertThat(d).isSameAs(ledger.overflowAccount()).isSameAs(e);
    assertThat(d.isOverflow()).isTrue();
    assertThat(d.tags()).isEqualTo(Tags.builder().team(Ledger.OVERFLOW_TAG).build());
    assertThat(ledger.accountCount()).isEqualTo(3);
    assertThat(ledger.overflowCount()).isEqualTo(2);
  }

  @Test
  void overflowCountCountsDistinctRefusedTagSetsNotCalls() {
    ledger.account(team("a"));
    ledger.account(team("b"));
    ledger.account(team("c"));
    for (int i = 0; i < 5; i++) {
      ledger.account(team("d")).record(m1, tokens(1_000_000, 0));
      ledger.record(team("e"), pricing.price(PROVIDER, "m1", tokens(1_000_000, 0), clock.wallTimeMillis()));
    }
    ledger.account(team("a")); // has its own account: not an overflow

    // two tag sets (d and e) were refused an account, however often they were used
    assertThat(ledger.overflowCount()).isEqualTo(2);
    // and all ten records of them landed in the overflow account
    assertThat(ledger.snapshot().where("team", Ledger.OVERFLOW_TAG).total().records()).isEqualTo(10);
  }

  @Test
  void theMapAndTagsPathsCountTheSameRefusedTagSetOnce() {
    for (String t : List.of("a", "b", "c")) {
      ledger.account(team(t));
    }
    ledger.account(team("d"));
    ledger.record(Map.of("team", "d"), pricing.price(PROVIDER, "m1", tokens(1_000_000, 0), clock.wallTimeMillis()));
    ledger.record(Map.of("team", "d"), pricing.price(PROVIDER, "m1", tokens(1_000_000, 0), clock.wallTimeMillis()));

    assertThat(ledger.overflowCount()).isEqualTo(1);
  }

  @Test
  void theRefusedTagSetsRememberedForTheCountAreBounded() {
    Ledger one = Ledger.builder().clock(clock).maxAccounts(1).build();
    for (int i = 0; i <= Ledger.MIN_OVERFLOW_TRACKED + 100; i++) {
      one.account(Tags.builder().team("t").run("r" + i).build());
    }

    // the first tag set got the one account; the count stops at the bound instead of growing memory
    assertThat(one.accountCount()).isEqualTo(1);
    assertThat(one.overflowCount()).isEqualTo(Ledger.MIN_OVERFLOW_TRACKED);
  }

  @Test
  void theSameTagsTwiceReturnTheSameAccountEvenAfterTheCapIsReached() {
    Account a = ledger.account(team("a"));
    ledger.account(team("b"));
    ledger.account(team("c"));
    ledger.account(team("d"));

    assertThat(ledger.account(team("a"))).isSameAs(a);
    assertThat(ledger.account(Tags.of("team", "a"))).isSameAs(a);
    assertThat(ledger.account(team("d"))).isSameAs(ledger.overflowAccount());
    assertThat(ledger.accountCount()).isEqualTo(3);
  }

  @Test
  void totalsAreNeverLostWhenTagSetsOverflow() {
    // five teams, one request each of 1,000,000 input tokens of m1 (2.50) and i × 100,000 output (i × 1.00)
    String[] teams = {"a", "b", "c", "d", "e"};
    for (int i = 0; i < teams.length; i++) {
      ledger.account(team(teams[i])).record(m1, tokens(1_000_000, (i + 1) * 100_000L));
    }

    LedgerSnapshot snapshot = ledger.snapshot();

    // 5 × 2.50 + (1 + 2 + 3 + 4 + 5) × 1.00 = 12.50 + 15.00 = 27.50
    assertThat(snapshot.total().cost()).isEqualTo(Money.usd("27.50"));
    assertThat(snapshot.total().records()).isEqualTo(5);
    Map<String, Money> byTeam = new java.util.HashMap<>();
    snapshot.totalsBy("team").forEach(t -> byTeam.put(t.group().team(), t.cost()));
    // d and e: 2 × 2.50 + (4 + 5) × 1.00 = 14.00
    assertThat(byTeam).containsOnly(
        Map.entry("a", Money.usd("3.50")),
        Map.entry("b", Money.usd("4.50")),
        Map.entry("c", Money.usd("5.50")),
        Map.entry(Ledger.OVERFLOW_TAG, Money.usd("14.00")));
  }

  @Test
  void theMapRecordingPathOverflowsTheSameWay() {
    for (String t : List.of("a", "b", "c", "d")) {
      ledger.record(Map.of("team", t), pricing.price(PROVIDER, "m1", tokens(1_000_000, 0), clock.wallTimeMillis()));
    }

    LedgerSnapshot snapshot = ledger.snapshot();

    assertThat(snapshot.total().cost()).isEqualTo(Money.usd("10.00"));
    assertThat(snapshot.where("team", Ledger.OVERFLOW_TAG).total().cost()).isEqualTo(Money.usd("2.50"));
    assertThat(ledger.overflowCount()).isEqualTo(1);
  }

  @Test
  void invalidMapTagsAreCountedAsRejectedAndRecordedUntaggedRatherThanThrown() {
    ledger.record(Map.of("Not A Key", "x"), pricing.price(PROVIDER, "m1", tokens(1_000_000, 0), clock.wallTimeMillis()));

    LedgerSnapshot snapshot = ledger.snapshot();

    assertThat(ledger.rejectedCount()).isEqualTo(1);
    assertThat(snapshot.entries()).singleElement().satisfies(e -> assertThat(e.tags()).isEqualTo(Tags.EMPTY));
    assertThat(snapshot.total().cost()).isEqualTo(Money.usd("2.50"));
  }

  @Test
  void aNullTagValueOnTheMapPathIsRejectedAndRecordedUntaggedRatherThanThrown() {
    Map<String, String> tags = new java.util.HashMap<>();
    tags.put("team", "nlp");
    tags.put("customer", null); // e.g. a missing request header

    ledger.record(tags, pricing.price(PROVIDER, "m1", tokens(1_000_000, 0), clock.wallTimeMillis()));

    assertThat(ledger.rejectedCount()).isEqualTo(1);
    assertThat(ledger.snapshot().where("team", "nlp").entries()).isEmpty();
    assertThat(ledger.snapshot().total().cost()).isEqualTo(Money.usd("2.50"));
  }

  @Test
  void concurrentNewTagSetsNeverPushTheAccountCountPastTheCap() throws Exception {
    Ledger capped = Ledger.builder().clock(clock).maxAccounts(50).build();
    List<Callable<Set<Account>>> workers = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      String team = "w" + w;
      workers.add(() -> {
        Set<Account> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
          Account a = capped.account(Tags.builder().team(team).run("r" + i).build());
          a.record(m1, tokens(1_000_000, 0));
          seen.add(a);
        }
        return seen;
      });
    }

    Set<Account> seen = new HashSet<>();
    LedgerFixtures.concurrently(workers).forEach(seen::addAll);

    assertThat(capped.accountCount()).isEqualTo(50);
    assertThat(capped.overflowCount()).isEqualTo(400 - 50);
    assertThat(seen).hasSize(51).contains(capped.overflowAccount());
    // 400 × 2.50 = 1,000.00, of which 350 × 2.50 = 875.00 overflowed
    assertThat(capped.snapshot().total().cost()).isEqualTo(Money.usd("1000.00"));
    assertThat(capped.snapshot().where("team", Ledger.OVERFLOW_TAG).total().cost()).isEqualTo(Money.usd("875.00"));
  }
}

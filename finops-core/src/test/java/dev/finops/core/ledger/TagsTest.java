package dev.finops.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finops.core.Tags;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tags are the ledger's account keys; they live in dev.finops.core but are tested with the ledger. */
class TagsTest {

  @Test
  void anEmptyValueIsRejectedNamingTheKey() {
    assertThatThrownBy(() -> Tags.builder().team(""))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'team'");
    assertThatThrownBy(() -> Tags.builder().put("cost_center", ""))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'cost_center'");
  }

  @Test
  void aValueOver256CharactersIsRejectedNamingTheKeyAndTheLength() {
    String ok = "x".repeat(256);
    assertThat(Tags.builder().customer(ok).build().customer()).isEqualTo(ok);

    assertThatThrownBy(() -> Tags.builder().customer(ok + "x"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'customer'").hasMessageContaining("257");
  }

  @Test
  void aNullValueIsRejectedNamingTheKey() {
    assertThatThrownBy(() -> Tags.builder().run(null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("'run'");
    assertThatThrownBy(() -> Tags.of(java.util.Collections.singletonMap("region", null)))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("'region'");
  }

  @Test
  void anInvalidCustomKeyIsRejectedNamingIt() {
    for (String bad : List.of("Team", "1st", "cost center", "_x", "k".repeat(65))) {
      assertThatThrownBy(() -> Tags.of(bad, "v")).as(bad)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'" + bad + "'");
    }
    assertThat(Tags.of("k".repeat(64), "v").get("k".repeat(64))).isEqualTo("v");
  }

  @Test
  void anOddNumberOfNamesAndValuesIsRejected() {
    assertThatThrownBy(() -> Tags.of("team", "nlp", "run"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3");
  }

  @Test
  void atMostFourCustomKeysAreAcceptedAndTheFifthIsNamedInTheError() {
    Tags.Builder b = Tags.builder().team("nlp").put("a", "1").put("b", "2").put("c", "3").put("d", "4");
    assertThat(Tags.MAX_CUSTOM_KEYS).isEqualTo(4);

    assertThatThrownBy(() -> b.put("e", "5"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'e'").hasMessageContaining("4");
    // replacing the value of a custom key already present is not a fifth key; standard keys never count
    Tags tags = b.put("a", "one").project("p").build();
    assertThat(tags.custom()).containsExactly(Map.entry("a", "one"), Map.entry("b", "2"), Map.entry("c", "3"),
        Map.entry("d", "4"));
  }

  @Test
  void tagsWithTheSameKeysAndValuesAreEqualWithTheSameHashWhateverTheOrderTheyWereGiven() {
    Tags a = Tags.builder().team("nlp").run("r1").put("region", "eu").put("cost_center", "42").build();
    Tags b = Tags.of("cost_center", "42", "run", "r1", "region", "eu", "team", "nlp");
    Tags c = Tags.of(Map.of("team", "nlp", "run", "r1", "region", "eu", "cost_center", "42"));

    assertThat(a).isEqualTo(b).isEqualTo(c).hasSameHashCodeAs(b).hasSameHashCodeAs(c);
    assertThat(a.toString()).isEqualTo("team=nlp,run=r1,cost_center=42,region=eu");
  }

  @Test
  void tagsDifferingInAValueOrAKeyAreNotEqual() {
    Tags base = Tags.of("team", "nlp", "run", "r1");

    assertThat(base).isNotEqualTo(Tags.of("team", "nlp", "run", "r2"))
        .isNotEqualTo(Tags.of("team", "nlp", "experiment", "r1"))
        .isNotEqualTo(Tags.of("team", "nlp", "runx", "r1"))
        .isNotEqualTo(Tags.of("team", "nlp"));
  }

  @Test
  void noTagsEqualEmpty() {
    assertThat(Tags.builder().build()).isEqualTo(Tags.EMPTY).hasSameHashCodeAs(Tags.EMPTY);
    assertThat(Tags.of(Map.of()).isEmpty()).isTrue();
    assertThat(Tags.of("team", "x").isEmpty()).isFalse();
    assertThat(Tags.EMPTY.toString()).isEqualTo("(untagged)");
  }

  @Test
  void selectKeepsOnlyTheNamedKeysThatArePresent() {
    Tags tags = Tags.builder().org("acme").team("nlp").run("r1").model("m1").put("region", "eu").build();

    assertThat(tags.select(List.of("team", "model"))).isEqualTo(Tags.of("team", "nlp", "model", "m1"));
    assertThat(tags.select(List.of("region", "customer", "run"))).isEqualTo(Tags.of("region", "eu", "run", "r1"));
    assertThat(tags.select(List.of("customer", "nope"))).isEqualTo(Tags.EMPTY);
    assertThat(tags.select(List.of())).isEqualTo(Tags.EMPTY);
  }

  @Test
  void withAddsTheOtherTagsAndTheOtherWinsOnConflicts() {
    Tags tags = Tags.of("team", "nlp", "run", "r1", "region", "eu");

    assertThat(tags.with(Tags.of("run", "r2", "model", "m1", "region", "us")))
        .isEqualTo(Tags.of("team", "nlp", "run", "r2", "model", "m1", "region", "us"));
    assertThat(tags.with(Tags.EMPTY)).isEqualTo(tags);
  }

  @Test
  void equalTagsBuiltSeparatelyGetTheSameLedgerAccount() {
    Ledger ledger = LedgerFixtures.ledger(LedgerFixtures.clock());

    Account a = ledger.account(Tags.builder().team("nlp").model("m1").put("region", "eu").build());
    Account b = ledger.account(Tags.of(Map.of("region", "eu", "model", "m1", "team", "nlp")));

    assertThat(b).isSameAs(a);
    assertThat(ledger.accountCount()).isEqualTo(1);
  }
}

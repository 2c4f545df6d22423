package dev.finops.otel;

import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.equalTo;

import dev.finops.core.FinOps;
import dev.finops.core.ManualClock;
import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.TokenConventions;
import dev.finops.core.Usage;
import dev.finops.core.ledger.LedgerSnapshot;
import io.opentelemetry.sdk.testing.assertj.AttributeAssertion;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A day in 2026 on the bundled catalog, and the prices the tests rely on. */
final class Fixtures {
  static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
  static final Tags NLP = Tags.builder().team("nlp").project("search").experiment("rerank").run("run-42").build();

  /**
   * gpt-4o-mini ($0.15 input, $0.075 cache read, $0.60 output per 1M tokens): 3,000 input tokens of
   * which 2,000 cache reads, and 500 output tokens cost 0.00015 + 0.00015 + 0.0003 = $0.0006.
   */
  static final Usage MINI_CALL = TokenConventions.fromInclusive(3_000, 500, 2_000, 0, 0);
  static final String MINI_CALL_COST = "0.0006";

  private Fixtures() {}

  static ManualClock clock() {
    return ManualClock.at(T0);
  }

  static FinOps finops(ManualClock clock) {
    return FinOps.builder().clock(clock).build();
  }

  static Money usd(String amount) {
    return Money.usd(amount);
  }

  /**
   * The span attributes of {@link #MINI_CALL} by team nlp, project search, with the finops cost
   * names, plus {@code more}.
   */
  static List<AttributeAssertion> miniCallAttributes(AttributeAssertion... more) {
    List<AttributeAssertion> all = new ArrayList<>(List.of(
        equalTo(stringKey("gen_ai.provider.name"), "openai"),
        equalTo(stringKey("gen_ai.request.model"), "gpt-4o-mini"),
        equalTo(longKey("gen_ai.usage.input_tokens"), 3_000L),
        equalTo(longKey("gen_ai.usage.output_tokens"), 500L),
        equalTo(longKey("gen_ai.usage.cache_read.input_tokens"), 2_000L),
        equalTo(stringKey("finops.cost.amount"), MINI_CALL_COST),
        equalTo(stringKey("finops.cost.currency"), "USD"),
        equalTo(stringKey("finops.cost.source"), "bundled_catalog"),
        equalTo(stringKey("finops.team"), "nlp"),
        equalTo(stringKey("finops.project"), "search")));
    all.addAll(List.of(more));
    return all;
  }

  /** The ledger's exact total cost. */
  static Money ledgerTotal(FinOps finops) {
    return finops.snapshot().total().cost();
  }

  /** The ledger's exact total for one team. */
  static Money teamTotal(LedgerSnapshot snapshot, String team) {
    return snapshot.where("team", team).total().cost();
  }
}

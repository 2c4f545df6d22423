package dev.finops.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.finops.core.budget.BudgetStore;
import dev.finops.core.budget.BudgetStore.Counter;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * The reservation race (LiteLLM #34732): two requests reserve 60 each against an org (limit 100) and a
 * team (limit 100), in the one global order. Exactly one is admitted and each counter then holds 60.
 * Both admitted is the overshoot a check-then-act budget allows; both refused would be a spurious
 * refusal, impossible with a fixed order; any other used figure is a lost update or a leaked rollback.
 * Results: admitted by actor 1, admitted by actor 2, org used, team used.
 */
@JCStressTest
@Outcome(id = {"1, 0, 60, 60", "0, 1, 60, 60"}, expect = ACCEPTABLE, desc = "exactly one reservation admitted")
@Outcome(expect = FORBIDDEN, desc = "overshoot, lost update, leaked rollback or spurious refusal")
@State
public class ReservationRaceTest {
  private final BudgetStore store = BudgetStore.inMemory();
  private final Counter org = Counters.lifetime(store, "org=acme", 100);
  private final Counter team = Counters.lifetime(store, "team=nlp", 100);
  private final Counter[] chain = {org, team};

  @Actor
  public void request1(IIII_Result r) {
    r.r1 = store.tryReserve(chain, 60, 0) == -1 ? 1 : 0;
  }

  @Actor
  public void request2(IIII_Result r) {
    r.r2 = store.tryReserve(chain, 60, 0) == -1 ? 1 : 0;
  }

  @Arbiter
  public void counters(IIII_Result r) {
    r.r3 = (int) store.read(org, 0).usedPico();
    r.r4 = (int) store.read(team, 0).usedPico();
  }
}

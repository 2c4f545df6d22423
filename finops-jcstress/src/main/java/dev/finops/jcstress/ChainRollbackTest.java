package dev.finops.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.finops.core.budget.BudgetStore;
import dev.finops.core.budget.BudgetStore.Counter;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * All or nothing across a chain: a run's reservation of 60 passes its org (limit 100) and is refused by
 * its experiment (limit 50), so its increment of the org is rolled back; meanwhile another team's
 * reservation of 60 on the org alone. The run is always refused; the other is admitted, or refused
 * because it saw the run's tentative increment (conservative, never an overshoot). Afterwards the org
 * holds exactly what was admitted. Results: run admitted, other admitted, org used.
 */
@JCStressTest
@Outcome(id = "0, 1, 60", expect = ACCEPTABLE, desc = "the run refused, the other admitted")
@Outcome(id = "0, 0, 0", expect = ACCEPTABLE_INTERESTING,
    desc = "both refused: the other saw the run's increment before its rollback (conservative)")
@Outcome(expect = FORBIDDEN, desc = "a partial reservation, a leaked rollback or an overshoot")
@State
public class ChainRollbackTest {
  private final BudgetStore store = BudgetStore.inMemory();
  private final Counter org = Counters.lifetime(store, "org=acme", 100);
  private final Counter experiment = Counters.lifetime(store, "experiment=lr", 50);
  private final Counter[] runChain = {org, experiment};
  private final Counter[] otherChain = {org};

  @Actor
  public void run(III_Result r) {
    r.r1 = store.tryReserve(runChain, 60, 0) == -1 ? 1 : 0;
  }

  @Actor
  public void other(III_Result r) {
    r.r2 = store.tryReserve(otherChain, 60, 0) == -1 ? 1 : 0;
  }

  @Arbiter
  public void counters(III_Result r) {
    r.r3 = (int) store.read(org, 0).usedPico() + (int) store.read(experiment, 0).usedPico() * 1000;
  }
}

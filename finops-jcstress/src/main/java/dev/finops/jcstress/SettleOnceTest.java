package dev.finops.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.finops.core.budget.Reservation;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Exactly-once settlement: two threads settle the same reservation of 30, one to 10 and one to 20.
 * One wins; the budget holds the winner's actual and nothing reserved. Results: first settled, second
 * settled, spent (with reserved × 1000 added: it must be 0).
 */
@JCStressTest
@Outcome(id = "1, 0, 10", expect = ACCEPTABLE, desc = "the first settlement won")
@Outcome(id = "0, 1, 20", expect = ACCEPTABLE, desc = "the second settlement won")
@Outcome(expect = FORBIDDEN, desc = "a double or lost settlement")
@State
public class SettleOnceTest {
  private final Budgets budgets = new Budgets();
  private final Reservation reservation = budgets.reserve(30);

  @Actor
  public void settle10(III_Result r) {
    r.r1 = reservation.settlePico(10) ? 1 : 0;
  }

  @Actor
  public void settle20(III_Result r) {
    r.r2 = reservation.settlePico(20) ? 1 : 0;
  }

  @Arbiter
  public void budget(III_Result r) {
    r.r3 = budgets.spentPlusReservedTimes1000();
  }
}

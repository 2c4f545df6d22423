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
 * A late settlement (actual 10) races the sweep that expires the same overdue reservation of 30 (to its
 * full amount). Exactly one ends it; the budget holds 10 or 30 accordingly, nothing reserved. Results:
 * settled, expired, spent (with reserved × 1000 added).
 */
@JCStressTest
@Outcome(id = "1, 0, 10", expect = ACCEPTABLE, desc = "the settlement won")
@Outcome(id = "0, 1, 30", expect = ACCEPTABLE, desc = "the expiry won: settled to the reserved amount")
@Outcome(expect = FORBIDDEN, desc = "both or neither ended it, or the figures disagree")
@State
public class SettleVsExpireTest {
  private final Budgets budgets = new Budgets();
  private final Reservation reservation = budgets.reserve(30);

  public SettleVsExpireTest() {
    budgets.passTtl();
  }

  @Actor
  public void settle(III_Result r) {
    r.r1 = reservation.settlePico(10) ? 1 : 0;
  }

  @Actor
  public void sweep(III_Result r) {
    r.r2 = budgets.manager.expireOverdue();
  }

  @Arbiter
  public void budget(III_Result r) {
    r.r3 = budgets.spentPlusReservedTimes1000();
  }
}

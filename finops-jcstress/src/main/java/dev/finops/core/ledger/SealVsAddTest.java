package dev.finops.core.ledger;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.finops.core.Usage;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * A ledger slot's lock-free add against compaction's seal-then-sum (in the ledger's package, for the
 * package-private counters): an add that answers true is in the sum read after the seal; one that
 * answers false is not (its writer adds to the merged slot instead). Results: added, records summed.
 */
@JCStressTest
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "added before the seal, in the sum")
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "refused by the seal, not in the sum")
@Outcome(expect = FORBIDDEN, desc = "an add lost by the merge, or counted where it was refused")
@State
public class SealVsAddTest {
  private static final Usage ONE = Usage.ofTokens(1, 1);
  private final StripedCounters counters = new StripedCounters();

  @Actor
  public void writer(II_Result r) {
    r.r1 = counters.add(ONE) ? 1 : 0;
  }

  @Actor
  public void compactor(II_Result r) {
    counters.seal();
    r.r2 = (int) counters.sum().get(StripedCounters.RECORDS);
  }
}

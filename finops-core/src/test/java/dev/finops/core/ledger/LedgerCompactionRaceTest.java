package dev.finops.core.ledger;

import static dev.finops.core.ledger.LedgerFixtures.PROVIDER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.core.ManualClock;
import dev.finops.core.Tags;
import dev.finops.core.Usage;
import dev.finops.core.UsageBucket;
import dev.finops.core.pricing.BoundModel;
import dev.finops.core.pricing.Pricing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Recording while {@link Ledger#compact()} runs in a loop and the clock jumps two hours every few
 * microseconds (a simulation, a backfill), with a retention that merges every slot an hour old: every record lands once, in the snapshot's totals, however
 * recording, slot creation and compaction interleave. Before compaction sealed the slots it merges, a
 * writer that had read the head slot just before a newer one replaced it could add into a slot already
 * merged away: a few records of 800,000 were lost per run.
 */
class LedgerCompactionRaceTest {

  private static final int THREADS = 4;
  private static final int RECORDS_PER_THREAD = 200_000;

  @Test
  void noRecordIsLostOrCountedTwiceWhileCompactionRacesAJumpingClock() throws Exception {
    ManualClock clock = LedgerFixtures.clock();
    // The shortest retention: a slot an hour old is merged into the one of everything older at once.
    Ledger ledger = Ledger.builder().clock(clock)
        .retention(Retention.of(Duration.ofHours(1), Duration.ofHours(1), Duration.ofHours(1))).build();
    Pricing pricing = LedgerFixtures.pricing(LedgerFixtures.tokenCatalog());
    BoundModel m1 = pricing.bind(PROVIDER, "m1");
    Account account = ledger.account(Tags.builder().team("sim").build());
    Usage oneRecord = Usage.ofTokens(1_000, 1);
    AtomicBoolean writing = new AtomicBoolean(true);

    List<Callable<Long>> tasks = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      tasks.add(() -> {
        for (int i = 0; i < RECORDS_PER_THREAD; i++) {
          account.record(m1, oneRecord); // at the clock's time: the head slot, or a new one after a jump
        }
        return 0L;
      });
    }
    tasks.add(() -> { // the clock: two hours every ~10 µs
      long jumps = 0;
      while (writing.get()) {
        clock.advanceMillis(2 * Row.HOUR);
        jumps++;
        long until = System.nanoTime() + 10_000;
        while (System.nanoTime() < until && writing.get()) {
          Thread.onSpinWait();
        }
      }
      return jumps;
    });
    tasks.add(() -> { // compaction in a loop
      long runs = 0;
      while (writing.get()) {
        ledger.compact();
        runs++;
      }
      return runs;
    });
    List<Callable<Long>> writers = tasks.subList(0, THREADS);
    List<Callable<Long>> all = new ArrayList<>(writers);
    for (Callable<Long> background : tasks.subList(THREADS, tasks.size())) {
      all.add(background);
    }
    List<Callable<Long>> stopping = new ArrayList<>();
    for (Callable<Long> w : writers) {
      stopping.add(() -> {
        try {
          return w.call();
        } finally {
          writing.set(false); // the first writer done stops the clock and compaction: slots stay racy to the end
        }
      });
    }
    stopping.addAll(all.subList(THREADS, all.size()));
    List<Long> results = LedgerFixtures.concurrently(stopping);
    assertThat(results.get(THREADS)).as("clock jumps").isPositive();
    assertThat(results.get(THREADS + 1)).as("compactions").isPositive();

    ledger.compact();
    LedgerSnapshot snap = ledger.snapshot();
    long records = 0;
    long input = 0;
    long output = 0;
    for (LedgerSnapshot.Entry e : snap.entries()) {
      records += e.records();
      input += e.quantity(UsageBucket.INPUT_UNCACHED);
      output += e.quantity(UsageBucket.OUTPUT);
    }
    long expected = (long) THREADS * RECORDS_PER_THREAD;
    assertThat(records).as("records").isEqualTo(expected);
    assertThat(input).as("input tokens").isEqualTo(expected * 1_000);
    assertThat(output).as("output tokens").isEqualTo(expected);
  }
}

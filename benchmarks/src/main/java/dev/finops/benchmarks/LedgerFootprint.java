package dev.finops.benchmarks;

import dev.finops.core.ManualClock;
import dev.finops.core.Tags;
import dev.finops.core.TokenConventions;
import dev.finops.core.Usage;
import dev.finops.core.ledger.Ledger;
import dev.finops.core.pricing.BoundModel;
import dev.finops.core.pricing.Pricing;
import java.time.Instant;

/**
 * Retained heap of a ledger with N accounts (default 100,000), each with one recorded request: the
 * heap after a full GC with the ledger alive minus the heap before it was built. Target at 100k
 * accounts: at most 40 MB.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.finops.benchmarks.LedgerFootprint [accounts]</pre>
 */
public final class LedgerFootprint {

  private LedgerFootprint() {}

  public static void main(String[] args) throws InterruptedException {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    Pricing pricing = Pricing.bundled();
    BoundModel model = pricing.bind("openai", "gpt-4o");
    Usage usage = TokenConventions.fromInclusive(3_000, 500, 2_000, 0, 0);
    ManualClock clock = ManualClock.at(Instant.parse("2026-11-01T12:00:00Z"));
    // Tag values are built before the baseline so only the ledger's own structures are measured.
    Tags[] tags = new Tags[n];
    for (int i = 0; i < n; i++) {
      tags[i] = Tags.builder().team("team-" + (i % 50)).project("project-" + (i % 500)).run("run-" + i).build();
    }
    long before = usedAfterGc();
    Ledger ledger = Ledger.builder().clock(clock).maxAccounts(n).build();
    for (int i = 0; i < n; i++) {
      ledger.account(tags[i]).record(model, usage);
    }
    long after = usedAfterGc();
    if (ledger.accountCount() != n || ledger.overflowCount() != 0) {
      throw new AssertionError("expected " + n + " accounts, got " + ledger.accountCount());
    }
    long bytes = after - before;
    System.out.printf("accounts=%d retained=%.1f MB (%d bytes/account)%n", n, bytes / 1_048_576.0, bytes / n);
    System.out.println(ledger.snapshot().total().records() + " records kept");
  }

  /** Used heap after full collections: the smallest of five readings. Shared with {@link CatalogFootprint}. */
  static long usedAfterGc() throws InterruptedException {
    Runtime rt = Runtime.getRuntime();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(100);
      used = Math.min(used, rt.totalMemory() - rt.freeMemory());
    }
    return used;
  }
}

package dev.finops.budget.redis;

import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.budget.Budget;
import dev.finops.core.budget.BudgetManager;
import dev.finops.core.budget.BudgetScope;
import dev.finops.core.budget.Reservation;
import io.lettuce.core.RedisURI;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A process of the fleet tests. {@code load <uri> <tag> <log> <millis> <limit units> [lease fraction]}: 4
 * threads reserve and settle (or release) random amounts against team=fleet for that long, writing every
 * settled amount to its log, then print {@code COUNTS <attempts> <admitted> <leased> <Redis commands>}. {@code hold <uri>
 * <tag> <count> [lease fraction]}: holds that many reservations of 10 units and waits to be killed. With a
 * lease fraction the store leases every budget.
 */
public final class ChildMain {
  private ChildMain() {}

  /** {@code spend <uri> <tag>}: on a lease of 30 of 60, spends 5 (flushed), then 7 (not), holds 10; waits. */
  private static void spend(RedisBudgetStore.Builder builder) throws Exception {
    RedisBudgetStore store = builder.leases(new java.math.BigDecimal("0.5")).leaseFlushInterval(Duration.ofHours(1))
        .leaseIdle(Duration.ofHours(1)).build();
    BudgetManager budgets = BudgetManager.builder().store(store).build();
    budgets.add(Budget.forTeam("held").limit(Money.usd("60")).build());
    BudgetScope scope = budgets.scope(Tags.of("team", "held"));
    while (store.stats().leasedReservations() == 0) { // served from a lease once this owner is alive
      Thread.sleep(10);
      Reservation r = scope.reserve(Money.usd("5"));
      if (store.stats().leasedReservations() == 0) {
        r.release();
      } else {
        r.settle(Money.usd("5"));
      }
    }
    store.flushLeasesNow();
    Reservation r = scope.reserve(Money.usd("7"));
    r.settle(Money.usd("7"));
    Reservation held = scope.reserve(Money.usd("10"));
    System.out.println("SPENT " + held + " " + store.stats());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }

  public static void main(String[] args) throws Exception {
    RedisBudgetStore.Builder builder = RedisBudgetStore.builder(RedisURI.create(args[1])).tag(args[2])
        .ownerTtl(Duration.ofSeconds(1));
    String lease = args[0].equals("hold") ? (args.length > 4 ? args[4] : null) : (args.length > 6 ? args[6] : null);
    if (lease != null) {
      builder.leases(new java.math.BigDecimal(lease));
    }
    if (args[0].equals("spend")) {
      spend(builder);
      return;
    }
    RedisBudgetStore store = builder.build();
    BudgetManager budgets = BudgetManager.builder().store(store).build();
    if (args[0].equals("hold")) {
      budgets.add(Budget.forTeam("held").limit(Money.usd("60")).build());
      List<Reservation> held = new ArrayList<>();
      while (store.stats().leasedReservations() == 0 && lease != null) { // served from a lease: alive first
        Thread.sleep(10);
        Reservation r = budgets.scope(Tags.of("team", "held")).reserve(Money.usd("10"));
        if (store.stats().leasedReservations() == 0) {
          r.release();
        } else {
          held.add(r);
        }
      }
      while (held.size() < Integer.parseInt(args[3])) {
        held.add(budgets.scope(Tags.of("team", "held")).reserve(Money.usd("10")));
      }
      System.out.println("HELD " + held.size() + " " + store.stats());
      System.out.flush();
      Thread.sleep(Long.MAX_VALUE);
    }
    budgets.add(Budget.forTeam("fleet").limit(Money.usd(args[5])).build());
    BudgetScope scope = budgets.scope(Tags.of("team", "fleet"));
    store.sweep(); // connected (a cold JVM takes a while to load the client) before the clock starts
    long end = System.nanoTime() + Long.parseLong(args[4]) * 1_000_000L;
    java.util.concurrent.atomic.LongAdder attempts = new java.util.concurrent.atomic.LongAdder();
    java.util.concurrent.atomic.LongAdder admitted = new java.util.concurrent.atomic.LongAdder();
    try (BufferedWriter log = Files.newBufferedWriter(Path.of(args[3]))) {
      Thread[] threads = new Thread[4];
      for (int t = 0; t < threads.length; t++) {
        threads[t] = new Thread(() -> {
          ThreadLocalRandom rnd = ThreadLocalRandom.current();
          while (System.nanoTime() < end) {
            long amount = 1 + rnd.nextLong(5_000_000_000_000L);
            Reservation r = scope.tryReservePico(amount);
            attempts.increment();
            if (r == null) {
              continue;
            }
            admitted.increment();
            if (rnd.nextInt(5) == 0) {
              r.release();
            } else {
              long actual = rnd.nextLong(amount + 1);
              if (r.settlePico(actual)) {
                synchronized (log) {
                  try {
                    log.write(Long.toString(actual));
                    log.newLine();
                  } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                  }
                }
              }
            }
          }
        });
        threads[t].start();
      }
      for (Thread t : threads) {
        t.join();
      }
    }
    store.close();
    System.out.println("COUNTS " + attempts.sum() + " " + admitted.sum() + " " + store.stats().leasedReservations() + " "
        + store.stats().commands());
    System.out.println("DONE " + budgets.stats() + " " + store.stats());
  }
}

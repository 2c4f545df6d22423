package dev.finops.budget.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.budget.Budget;
import dev.finops.core.budget.BudgetManager;
import dev.finops.core.budget.BudgetStatus;
import io.lettuce.core.RedisURI;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several JVM processes on one Redis: the fleet spends one limit, and a killed process's reservations come back. */
class FleetProcessTest extends RedisFixture {

  static Process child(Path out, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        ChildMain.class.getName()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
  }

  /**
   * 4 processes × 4 threads reserve and settle random amounts against one team budget for 3 s: used
   * (spend + open reservations, polled throughout) never passes the limit, and the final spend is exactly
   * the sum of what the processes' logs say they settled. Prints Redis commands per request.
   */
  @Test
  void fourProcessesSpendOneLimitExactly(@TempDir Path dir) throws Exception {
    Fleet f = fleet(dir, null);
    assertThat(f.leased()).as("no leases").isZero();
  }

  /**
   * The same with leases of 5% of the limit: the stated bound is zero overshoot (a lease is reserved in
   * Redis, local reservations only take from it), so used never passes the limit either; the final spend
   * is still exactly the sum of the logs (flushed, and every lease returned at close); most reservations
   * were served from leases, with fewer Redis commands per reservation than without.
   */
  @Test
  void withLeasesTheLimitHoldsAndTheSpendIsExact(@TempDir Path dir) throws Exception {
    Fleet without = fleet(dir.resolve("plain"), null);
    Fleet with = fleet(dir.resolve("leased"), "0.05");
    assertThat(with.leased()).as("served from leases").isGreaterThan(with.admitted() / 2);
    // A refusal costs one command either way (and the budget runs out within the run): net of those, a
    // reserve + settle is two scripts without leases, and under one command with them (growths, flushes,
    // heartbeats shared by many local reservations).
    assertThat(without.commandsPerAdmittedNetOfRefusals()).as("two scripts per reservation").isGreaterThanOrEqualTo(2.0);
    assertThat(with.commandsPerAdmittedNetOfRefusals()).as("fewer round trips per reservation with leases")
        .isLessThan(1.0);
  }

  /** What one fleet run did: attempts, admissions, leased admissions, and the Redis commands it took. */
  record Fleet(long attempts, long admitted, long leased, long commands) {
    double commandsPerAdmitted() {
      return (double) commands / admitted;
    }

    double commandsPerAdmittedNetOfRefusals() {
      return (double) (commands - (attempts - admitted)) / admitted;
    }
  }

  private Fleet fleet(Path dir, String leaseFraction) throws Exception {
    Files.createDirectories(dir);
    String tag = UUID.randomUUID().toString();
    String limitUnits = "2000";
    BigInteger limit = BigInteger.valueOf(2_000L).multiply(BigInteger.TEN.pow(12));
    String key = "finops:{" + tag + "}:c:team=fleet/lifetime";
    redis.configResetstat();
    List<Process> children = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      List<String> args = new ArrayList<>(List.of("load", server.uri(), tag, dir.resolve("log" + i).toString(), "3000",
          limitUnits));
      if (leaseFraction != null) {
        args.add(leaseFraction);
      }
      children.add(child(dir.resolve("out" + i), args.toArray(new String[0])));
    }
    BigInteger maxUsed = BigInteger.ZERO;
    int polls = 0;
    while (children.stream().anyMatch(Process::isAlive)) {
      String used = redis.hget(key, "used");
      if (used != null) {
        maxUsed = maxUsed.max(new BigInteger(used));
        polls++;
      }
      Thread.sleep(2);
    }
    long scriptsRun = scriptCalls(redis.info("commandstats"));
    long settlements = 0;
    long attempts = 0;
    long admitted = 0;
    long leased = 0;
    long commands = 0;
    BigInteger logged = BigInteger.ZERO;
    for (int i = 0; i < 4; i++) {
      String out = Files.readString(dir.resolve("out" + i));
      assertThat(children.get(i).exitValue()).as(out).isZero();
      for (String line : out.split("\\n")) {
        if (line.startsWith("COUNTS ")) {
          String[] c = line.trim().split(" ");
          attempts += Long.parseLong(c[1]);
          admitted += Long.parseLong(c[2]);
          leased += Long.parseLong(c[3]);
          commands += Long.parseLong(c[4]);
        }
      }
      for (String line : Files.readAllLines(dir.resolve("log" + i))) {
        logged = logged.add(new BigInteger(line));
        settlements++;
      }
    }
    Fleet f = new Fleet(attempts, admitted, leased, commands);
    System.out.printf("fleet%s: %d settlements, spent %s pico, max used seen %s of %s over %d polls; %d attempts, "
        + "%d admitted (%d from leases); %d Redis commands (%d scripts by Redis' count): %.3f per attempt, %.3f per "
        + "admitted reservation, %.3f net of refusals%n",
        leaseFraction == null ? "" : " with leases of " + leaseFraction, settlements, logged, maxUsed, limit, polls,
        attempts, admitted, leased, commands, scriptsRun, (double) commands / attempts, f.commandsPerAdmitted(),
        f.commandsPerAdmittedNetOfRefusals());
    assertThat(settlements).isGreaterThan(50);
    assertThat(scriptsRun).as("the stores' own count covers every script Redis ran").isLessThanOrEqualTo(commands);
    assertThat(maxUsed).as("used never passed the limit").isLessThanOrEqualTo(limit);
    assertThat(new BigInteger(redis.hget(key, "spent"))).as("no overshoot").isLessThanOrEqualTo(limit);
    assertThat(new BigInteger(redis.hget(key, "spent"))).as("spent = Σ settled in the logs").isEqualTo(logged);
    assertThat(new BigInteger(redis.hget(key, "used"))).as("nothing left open").isEqualTo(logged);
    assertThat(redis.zcard("finops:{" + tag + "}:open")).isZero();
    return f;
  }

  /** EVALSHA and EVAL calls Redis counted (INFO commandstats): the children's scripts, each a round trip. */
  static long scriptCalls(String commandstats) {
    long n = 0;
    for (String line : commandstats.split("\\r?\\n")) {
      if (line.startsWith("cmdstat_evalsha:") || line.startsWith("cmdstat_eval:")) {
        int from = line.indexOf("calls=") + 6;
        n += Long.parseLong(line.substring(from, line.indexOf(',', from)));
      }
    }
    return n;
  }

  /**
   * A process holding 5 reservations of 10 units on a 60-unit budget is killed with SIGKILL; a live
   * process (orphan policy RELEASE, owner TTL 1 s) gives the budget its room back within the bound:
   * owner TTL + a third of it for the sweep.
   */
  @Test
  void aKilledProcessesReservationsAreReleasedWithinTheBound(@TempDir Path dir) throws Exception {
    killedHolderReleased(dir, null);
  }

  /**
   * The same with the 50 units held in a lease (of half the limit, grown to all 60): the lease is a record
   * of the dead owner like a reservation, released by the live process within the same bound.
   */
  @Test
  void aKilledProcessesLeaseIsReleasedWithinTheBound(@TempDir Path dir) throws Exception {
    killedHolderReleased(dir, "0.5");
  }

  private void killedHolderReleased(Path dir, String leaseFraction) throws Exception {
    String tag = UUID.randomUUID().toString();
    try (RedisBudgetStore live = RedisBudgetStore.builder(RedisURI.create(server.uri())).tag(tag)
        .ownerTtl(Duration.ofSeconds(1)).orphanPolicy(RedisBudgetStore.OrphanPolicy.RELEASE).build()) {
      BudgetManager budgets = BudgetManager.builder().store(live).build();
      budgets.add(Budget.forTeam("held").limit(Money.usd("60")).build());
      Process p = leaseFraction == null ? child(dir.resolve("out"), "hold", server.uri(), tag, "5")
          : child(dir.resolve("out"), "hold", server.uri(), tag, "5", leaseFraction);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!Files.readString(dir.resolve("out")).contains("HELD") && System.nanoTime() < deadline) {
        assertThat(p.isAlive()).as(Files.readString(dir.resolve("out"))).isTrue();
        Thread.sleep(20);
      }
      if (leaseFraction != null) {
        assertThat(Files.readString(dir.resolve("out"))).contains("leasedReservations=5");
        assertThat(redis.hget("finops:{" + tag + "}:c:team=held/lifetime", "used")).as("the lease, all 60")
            .isEqualTo("60000000000000");
      }
      assertThat(budgets.scope(Tags.of("team", "held")).tryReserve(
          dev.finops.core.budget.Estimate.of(Money.usd("20")))).as("50 of 60 held").isNull();
      long killed = System.nanoTime();
      p.destroyForcibly().waitFor(); // SIGKILL
      BudgetStatus st = budgets.statuses().get(0);
      while (st.used().signum() > 0 && System.nanoTime() - killed < TimeUnit.SECONDS.toNanos(10)) {
        Thread.sleep(20);
        st = budgets.statuses().get(0);
      }
      long tookMillis = (System.nanoTime() - killed) / 1_000_000;
      System.out.printf("kill -9%s: room back after %d ms (bound 1333 ms + sweep round trip)%n",
          leaseFraction == null ? "" : " (lease held)", tookMillis);
      assertThat(st.used().signum()).isZero();
      assertThat(st.spent().signum()).isZero();
      assertThat(tookMillis).isLessThan(3_000);
      assertThat(budgets.scope(Tags.of("team", "held")).tryReserve(
          dev.finops.core.budget.Estimate.of(Money.usd("60")))).isNotNull();
    }
  }
}

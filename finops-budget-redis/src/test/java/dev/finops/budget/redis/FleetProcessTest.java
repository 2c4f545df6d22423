package dev.finops.budget.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.budget.Budget;
import dev.finops.core.budget.BudgetManager;
import dev.finops.core.budget.BudgetStatus;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.sync.RedisCommands;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several JVM processes on one Redis: the fleet spends one limit, and a killed process's reservations come back. */
class FleetProcessTest {
  static RedisServer server;
  static RedisClient raw;
  static RedisCommands<String, String> redis;

  @BeforeAll
  static void start() throws Exception {
    server = RedisServer.start();
    raw = RedisClient.create(server.uri());
    redis = raw.connect().sync();
  }

  @AfterAll
  static void stop() throws Exception {
    if (raw != null) {
      raw.shutdown();
    }
    if (server != null) {
      server.close();
    }
  }

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
   * the sum of what the processes' logs say they settled.
   */
  @Test
  void fourProcessesSpendOneLimitExactly(@TempDir Path dir) throws Exception {
    String tag = UUID.randomUUID().toString();
    String limitUnits = "2000";
    BigInteger limit = BigInteger.valueOf(2_000L).multiply(BigInteger.TEN.pow(12));
    String key = "finops:{" + tag + "}:c:team=fleet/lifetime";
    List<Process> children = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      children.add(child(dir.resolve("out" + i), "load", server.uri(), tag, dir.resolve("log" + i).toString(), "3000",
          limitUnits));
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
    long settlements = 0;
    BigInteger logged = BigInteger.ZERO;
    for (int i = 0; i < 4; i++) {
      assertThat(children.get(i).exitValue()).as(Files.readString(dir.resolve("out" + i))).isZero();
      for (String line : Files.readAllLines(dir.resolve("log" + i))) {
        logged = logged.add(new BigInteger(line));
        settlements++;
      }
    }
    System.out.printf("fleet: %d settlements, spent %s pico, max used seen %s of %s over %d polls%n", settlements,
        logged, maxUsed, limit, polls);
    assertThat(settlements).isGreaterThan(50);
    assertThat(maxUsed).as("used never passed the limit").isLessThanOrEqualTo(limit);
    assertThat(new BigInteger(redis.hget(key, "spent"))).as("no overshoot").isLessThanOrEqualTo(limit);
    assertThat(new BigInteger(redis.hget(key, "spent"))).as("spent = Σ settled in the logs").isEqualTo(logged);
    assertThat(new BigInteger(redis.hget(key, "used"))).as("nothing left open").isEqualTo(logged);
    assertThat(redis.zcard("finops:{" + tag + "}:open")).isZero();
  }

  /**
   * A process holding 5 reservations of 10 units on a 60-unit budget is killed with SIGKILL; a live
   * process (orphan policy RELEASE, owner TTL 1 s) gives the budget its room back within the bound:
   * owner TTL + a third of it for the sweep.
   */
  @Test
  void aKilledProcessesReservationsAreReleasedWithinTheBound(@TempDir Path dir) throws Exception {
    String tag = UUID.randomUUID().toString();
    try (RedisBudgetStore live = RedisBudgetStore.builder(RedisURI.create(server.uri())).tag(tag)
        .ownerTtl(Duration.ofSeconds(1)).orphanPolicy(RedisBudgetStore.OrphanPolicy.RELEASE).build()) {
      BudgetManager budgets = BudgetManager.builder().store(live).build();
      budgets.add(Budget.forTeam("held").limit(Money.usd("60")).build());
      Process p = child(dir.resolve("out"), "hold", server.uri(), tag, "5");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!Files.readString(dir.resolve("out")).contains("HELD") && System.nanoTime() < deadline) {
        assertThat(p.isAlive()).as(Files.readString(dir.resolve("out"))).isTrue();
        Thread.sleep(20);
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
      System.out.printf("kill -9: room back after %d ms (bound 1333 ms + sweep round trip)%n", tookMillis);
      assertThat(st.used().signum()).isZero();
      assertThat(st.spent().signum()).isZero();
      assertThat(tookMillis).isLessThan(3_000);
      assertThat(budgets.scope(Tags.of("team", "held")).tryReserve(
          dev.finops.core.budget.Estimate.of(Money.usd("60")))).isNotNull();
    }
  }
}

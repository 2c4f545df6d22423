package dev.finops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finops.core.journal.RunJournal;
import dev.finops.core.journal.RunState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance check of {@code run-sim}: a child JVM running it is killed with SIGKILL ({@link
 * Process#destroyForcibly()} on Linux) at random moments, at least 20 times, and started again each
 * time with the same journal and run id; the run ends with exactly its steps and the cost of an
 * uninterrupted run. After every kill the journal holds a consistent run: GPU time is exactly the
 * journaled steps × seconds × GPUs.
 */
class RunSimKillTest {

  private static final int STEPS = 600;
  private static final int STEP_SECONDS = 2;
  private static final int GPUS = 4;
  private static final String RATE = "2.50";
  private static final int KILLS = 20;

  @TempDir
  Path dir;

  private List<String> command(String runId) {
    return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), FinOpsCli.class.getName(), "run-sim",
        "--journal", dir.toString(), "--run-id", runId, "--steps", String.valueOf(STEPS),
        "--step-seconds", String.valueOf(STEP_SECONDS), "--hourly-rate", RATE, "--gpus", String.valueOf(GPUS),
        "--step-delay-ms", "3");
  }

  private Process start(String runId, Path log) throws IOException {
    return new ProcessBuilder(command(runId)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  @Test
  void aRunKilledAtRandomMomentsEndsWithExactlyItsStepsAndTheCostOfAnUninterruptedRun() throws Exception {
    long seed = System.nanoTime();
    SplittableRandom random = new SplittableRandom(seed);
    Path log = dir.resolve("child.log");
    List<String> runs = new ArrayList<>();
    int kills = 0;
    while (kills < KILLS) {
      String runId = "killed-" + runs.size();
      runs.add(runId);
      long lastSteps = 0;
      while (kills < KILLS) {
        Process p = start(runId, log);
        // From before the JVM is up to well into the run: the child reaches its journal after about a second
        // (JVM start, picocli's model of the command, the journal's first fsync), then runs for seconds.
        long at = random.nextLong(50, 1_600);
        if (p.waitFor(at, TimeUnit.MILLISECONDS)) {
          assertThat(p.exitValue()).as("seed %d, %s", seed, Files.readString(log)).isZero();
          break; // finished before its kill: check it, and kill a new run
        }
        p.destroyForcibly();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        kills++;
        if (RunJournal.exists(dir, runId)) {
          RunState s = RunJournal.read(dir, runId).state();
          long steps = s.totals().steps();
          assertThat(steps).as("seed %d, kill %d after %d ms", seed, kills, at).isBetween(lastSteps, (long) STEPS);
          assertThat(s.totals().gpuMillis()).isEqualTo(steps * STEP_SECONDS * GPUS * 1_000L);
          lastSteps = steps;
        }
      }
    }
    // The last run resumes once more and finishes undisturbed.
    Process last = start(runs.get(runs.size() - 1), log);
    assertThat(last.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(last.exitValue()).as(Files.readString(log)).isZero();

    // The same run, never interrupted, in process.
    Cli.Result reference = Cli.run("run-sim", "--journal", dir.toString(), "--run-id", "reference", "--steps",
        String.valueOf(STEPS), "--step-seconds", String.valueOf(STEP_SECONDS), "--hourly-rate", RATE, "--gpus",
        String.valueOf(GPUS), "--json");
    assertThat(reference.code()).as(reference.err()).isZero();
    String uninterrupted = reference.json().get("cost").asText();
    // 600 steps × 2 s × 4 GPUs = 4,800 GPU-seconds at 2.50 per GPU-hour = 3.333...
    assertThat(uninterrupted).isEqualTo(Cli.gpuCost(4_800_000L, RATE).toPlainString());

    int attempts = 0;
    for (String runId : runs) {
      Cli.Result r = Cli.run("run-report", "--journal", dir.toString(), "--run-id", runId, "--json");
      assertThat(r.code()).as(r.err()).isZero();
      JsonNode j = r.json();
      assertThat(j.get("status").asText()).as("seed %d, %s", seed, runId).isEqualTo("complete");
      assertThat(j.get("steps").asLong()).isEqualTo(STEPS);
      assertThat(j.get("gpu_seconds").asLong()).isEqualTo((long) STEPS * STEP_SECONDS * GPUS);
      assertThat(j.get("cost").asText()).isEqualTo(uninterrupted);
      assertThat(j.get("lost_gpu_seconds").asLong()).isZero();
      assertThat(j.get("interruptions").asInt()).isEqualTo(j.get("attempts").asInt() - 1);
      attempts += j.get("attempts").asInt();
    }
    assertThat(kills).isGreaterThanOrEqualTo(KILLS);
    assertThat(attempts).as("most kills land after the run started journaling").isGreaterThan(runs.size() + 1);
  }
}

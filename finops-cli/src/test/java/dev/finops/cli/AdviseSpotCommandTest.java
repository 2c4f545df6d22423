package dev.finops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finops.core.ManualClock;
import dev.finops.core.Tags;
import dev.finops.core.catalog.PurchaseOption;
import dev.finops.core.journal.RunJournal;
import dev.finops.core.ledger.Ledger;
import dev.finops.core.pricing.Pricing;
import dev.finops.core.training.Hardware;
import dev.finops.core.training.ResumePoint;
import dev.finops.core.training.TrainingRun;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code finops advise spot} on journals of p4d.24xlarge spot runs (bundled catalog: 12.50 an hour). */
class AdviseSpotCommandTest {

  @TempDir
  Path dir;

  private final Pricing pricing = Pricing.builder().build();

  private TrainingRun start(ManualClock clock, String id) {
    return TrainingRun.builder(pricing, Ledger.builder().clock(clock).build()).runId(id)
        .tags(Tags.builder().team("nlp").build())
        .hardware(Hardware.instances("aws", "us-east-1", "p4d.24xlarge", 2, PurchaseOption.SPOT))
        .journal(RunJournal.open(dir, id)).resumesFrom(ResumePoint.LAST_CHECKPOINT).start();
  }

  /** Three runs of 2 instances: 5 h, 3 h (killed after 1 h, resumed for 2 h) and 4 h (killed twice). */
  private void journals() {
    ManualClock clock = ManualClock.at(Instant.parse("2026-11-02T00:00:00Z"));
    int[][] runs = {{20}, {4, 8}, {4, 4, 8}};
    for (int r = 0; r < runs.length; r++) {
      for (int a = 0; a < runs[r].length; a++) {
        TrainingRun run = start(clock, "run-" + r);
        for (int s = 0; s < runs[r][a]; s++) {
          clock.advance(Duration.ofMinutes(15));
          run.step(1, 1);
        }
        if (a == runs[r].length - 1) {
          run.close();
        } else {
          run.journal().close();   // killed
          clock.advance(Duration.ofMinutes(5));
        }
      }
    }
  }

  @Test
  void interruptionsFromJournalsGiveTheYoungDalyInterval() {
    journals();
    Cli.Result r = Cli.run("advise", "spot", "--journal", dir.toString(), "--checkpoint-seconds", "300",
        "--current-interval-minutes", "240", "--instances", "2", "--restart-seconds", "600", "--json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode t = r.json().get("instance_types").get(0);
    assertThat(t.get("instance").textValue()).isEqualTo("p4d.24xlarge");
    assertThat(t.get("runs").asInt()).isEqualTo(3);
    assertThat(t.get("attempts").asInt()).isEqualTo(6);
    assertThat(t.get("interruptions").asInt()).isEqualTo(3);
    assertThat(t.get("instance_hours").asDouble()).isCloseTo(2 * (5 + 3 + 4), within(1e-9));
    double lambda = (-Math.log(1 - 0.075) + 3) / (730 + 24);
    assertThat(t.get("rate_per_instance_hour").asDouble()).isCloseTo(lambda, within(1e-12));
    double mtbf = 3600 / (2 * lambda);
    assertThat(t.get("young_daly_interval_seconds").asDouble()).isCloseTo(Math.sqrt(2 * 300 * mtbf), within(1e-6));
    JsonNode rec = r.json().get("recommendations").get(0);
    assertThat(rec.get("kind").textValue()).isEqualTo("checkpoint-interval");
    BigDecimal now = new BigDecimal(t.get("expected_loss_now").textValue());
    BigDecimal best = new BigDecimal(t.get("expected_loss_at_interval").textValue());
    assertThat(new BigDecimal(rec.get("monthly_saving").textValue())).isEqualByComparingTo(
        new BigDecimal("12.50").multiply(BigDecimal.valueOf(2 * 730)).multiply(now.subtract(best)));

    Cli.Result text = Cli.run("advise", "spot", "--journal", dir.toString(), "--checkpoint-seconds", "300",
        "--current-interval-minutes", "240");
    assertThat(text.code()).as(text.err()).isZero();
    assertThat(text.out()).contains("aws/us-east-1/p4d.24xlarge: 3 interruptions in 24.0 instance-hours",
        "1. [checkpoint-interval]", "   evidence:", "   assumption:", "   monthly saving:");
  }

  @Test
  void badJournalArguments() throws Exception {
    Files.createDirectories(dir.resolve("empty"));
    Cli.Result none = Cli.run("advise", "spot", "--journal", dir.resolve("empty").toString(), "--checkpoint-seconds",
        "300", "--current-interval-minutes", "60");
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).contains("no run journal");
    journals();
    assertThat(Cli.run("advise", "spot", "--journal", dir.toString(), "--checkpoint-seconds", "300",
        "--current-interval-minutes", "60", "--prior-band", "7%").err()).contains("--prior-band");
    assertThat(Cli.run("advise", "spot", "--journal", dir.toString(), "--run-id", "nope", "--checkpoint-seconds", "300",
        "--current-interval-minutes", "60").code()).isEqualTo(2);
  }
}

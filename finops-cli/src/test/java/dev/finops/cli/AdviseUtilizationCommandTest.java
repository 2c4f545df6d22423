package dev.finops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code finops advise utilization} on the bundled catalog's p4d.24xlarge (21.957642 USD an hour, 8 GPUs). */
class AdviseUtilizationCommandTest {

  @TempDir
  Path dir;

  /** Ten minutes of five GPUs: g0 idle, g1 to g3 light (20 %, 5 GB), g4 busy (90 %, 30 GB). */
  Path fleet() throws IOException {
    StringBuilder sb = new StringBuilder("timestamp,gpu,utilization,memory_used_mib,memory_total_mib,job,team\n");
    double[] util = {1, 20, 20, 20, 90};
    int[] mem = {300, 5000, 5000, 5000, 30000};
    for (int minute = 0; minute < 10; minute++) {
      for (int g = 0; g < 5; g++) {
        sb.append(String.format("2026-11-02T10:%02d:00Z,g%d,%s,%d,40960,job%d,nlp%n", minute, g, util[g], mem[g], g));
      }
    }
    Path f = dir.resolve("util.csv");
    Files.writeString(f, sb.toString());
    return f;
  }

  @Test
  void jsonCarriesEveryRecommendationWithItsExactSaving() throws IOException {
    Cli.Result r = Cli.run("advise", "utilization", "--file", fleet().toString(), "--instance", "p4d.24xlarge", "--json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode j = r.json();
    BigDecimal gpuMonth = new BigDecimal("21.957642").multiply(BigDecimal.valueOf(730)).divide(BigDecimal.valueOf(8));
    assertThat(new BigDecimal(j.get("per_gpu_hour").textValue())).isEqualByComparingTo("2.74470525");
    assertThat(new BigDecimal(j.get("total_monthly_saving").textValue()))
        .isEqualByComparingTo(gpuMonth.multiply(BigDecimal.valueOf(3)));
    JsonNode recs = j.get("recommendations");
    assertThat(recs).hasSize(2);
    assertThat(recs.get(0).get("kind").textValue()).isEqualTo("idle-gpu");
    assertThat(recs.get(1).get("kind").textValue()).isEqualTo("consolidate");
    for (JsonNode rec : recs) {
      assertThat(rec.get("evidence").textValue()).isNotBlank();
      assertThat(rec.get("assumption").textValue()).isNotBlank();
    }
    assertThat(new BigDecimal(recs.get(1).get("monthly_saving").textValue()))
        .isEqualByComparingTo(gpuMonth.multiply(BigDecimal.valueOf(2)));
    assertThat(j.get("gpus")).hasSize(5);
    assertThat(j.get("gpus").get(4).get("verdict").textValue()).isEqualTo("keep");
  }

  @Test
  void textPrintsEvidenceAssumptionAndSaving() throws IOException {
    Cli.Result r = Cli.run("advise", "utilization", "--file", fleet().toString(), "--instance", "p4d.24xlarge");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("1. [idle-gpu] release GPU g0 (job job0, team nlp)", "2. [consolidate]",
        "   evidence:", "   assumption:", "   monthly saving: 4007.2697 USD",
        "total monthly saving: 6010.9045 USD (60.0% of the GPUs' cost)");
  }

  @Test
  void badInputNamesFileLineAndColumnWithExit2() throws IOException {
    Path f = dir.resolve("bad.csv");
    Files.writeString(f, "timestamp,gpu,utilization,memory_used_mib\n2026-11-02T10:00:00Z,g0,5,100\n"
        + "2026-11-02T10:01:00Z,g0,five,100\n");
    Cli.Result r = Cli.run("advise", "utilization", "--file", f.toString(), "--instance", "p4d.24xlarge");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains(f + ", line 3, column utilization: not a number: 'five'");
    assertThat(r.out()).isEmpty();

    Cli.Result missing = Cli.run("advise", "utilization", "--file", dir.resolve("none.csv").toString(), "--instance",
        "p4d.24xlarge");
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("none.csv: no such file");
  }

  @Test
  void renamedColumnsAndUnknownInstance() throws IOException {
    Path f = dir.resolve("dcgm.csv");
    Files.writeString(f, "Timestamp,UUID,DCGM_FI_DEV_GPU_UTIL,DCGM_FI_DEV_FB_USED\n"
        + "2026-11-02T10:00:00Z,GPU-1,0,10\n2026-11-02T10:01:00Z,GPU-1,1,10\n");
    Cli.Result r = Cli.run("advise", "utilization", "--file", f.toString(), "--instance", "p4d.24xlarge",
        "--column", "time=Timestamp", "--column", "gpu=UUID", "--column", "utilization=DCGM_FI_DEV_GPU_UTIL",
        "--column", "memory_used=DCGM_FI_DEV_FB_USED", "--json");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.json().get("recommendations").get(0).get("subjects").get(0).textValue()).isEqualTo("GPU-1");

    Cli.Result unknown = Cli.run("advise", "utilization", "--file", f.toString(), "--instance", "p9.huge");
    assertThat(unknown.code()).isEqualTo(3);
    Cli.Result badColumn = Cli.run("advise", "utilization", "--file", f.toString(), "--instance", "p4d.24xlarge",
        "--column", "colour=x");
    assertThat(badColumn.code()).isEqualTo(2);
    assertThat(badColumn.err()).contains("--column");
  }
}

package dev.finops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {

  @TempDir
  Path dir;

  @Test
  void renders_a_saved_demo_json_as_the_same_page_demo_writes() throws Exception {
    Path direct = dir.resolve("direct.html");
    Cli.Result demo = Cli.run("demo", "--json", "--html", direct.toString());
    assertThat(demo.code()).as(demo.err()).isZero();
    Path json = dir.resolve("day.json");
    Files.writeString(json, demo.out());
    Path page = dir.resolve("day.html");
    Cli.Result r = Cli.run("report", "--html", page.toString(), json.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("wrote " + page);
    assertThat(Files.readString(page)).isEqualTo(Files.readString(direct)).contains("id=\"spend-over-time\"");
  }

  @Test
  void bad_input_is_a_usage_error() throws Exception {
    Path notJson = dir.resolve("x.json");
    Files.writeString(notJson, "{\"format\": \"other\"}");
    Cli.Result r = Cli.run("report", "--html", dir.resolve("o.html").toString(), notJson.toString());
    assertThat(r.code()).isEqualTo(ExitCode.USAGE);
    assertThat(r.err()).contains("not a finops.cost_report document");
    assertThat(Cli.run("report", "--html", dir.resolve("o.html").toString(), dir.resolve("missing.json").toString())
        .err()).contains("no such file");
    assertThat(Cli.run("report", notJson.toString()).err()).contains("missing required option --html");
  }
}

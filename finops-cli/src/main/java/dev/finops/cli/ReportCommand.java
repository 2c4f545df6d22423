package dev.finops.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.finops.core.report.CostReportJson;
import dev.finops.core.report.html.HtmlReport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code finops report --html FILE REPORT.json}: a saved report JSON ({@code finops demo --json}, or
 * any {@link CostReportJson} document) as one self-contained HTML page with charts.
 */
@Command(name = "report", description = {
    "render a saved report JSON as one self-contained HTML page with charts", "",
    "Reads a cost report JSON (the " + CostReportJson.FORMAT + " format: 'finops demo --json', or CostReportJson in "
        + "your application; '-' reads standard input) and writes one HTML page with inline SVG charts and CSS, no "
        + "script and nothing from the network, so it opens offline and prints. Charts whose data the JSON lacks (a "
        + "plain report has no time series) are left out with a note. Every figure is the JSON's exact amount "
        + "rounded as the text report rounds."})
final class ReportCommand extends CliCommand {

  private static final String HTML = "--html";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Option(names = HTML, paramLabel = "FILE.html", required = true, description = "where to write the page")
  String file;

  @Parameters(index = "0", paramLabel = "REPORT.json", description = "the report JSON; '-' for standard input")
  String source;

  @Override
  int run() {
    JsonNode report = read(source);
    String page;
    try {
      page = HtmlReport.render(report);
    } catch (IllegalArgumentException | java.time.DateTimeException | NullPointerException e) {
      throw CliException.usage("cannot render '" + source + "': " + e.getMessage());
    }
    OutputFiles.write(HTML, file, w -> w.write(page));
    out.println("wrote " + file + " (" + page.getBytes(StandardCharsets.UTF_8).length + " bytes)");
    return ExitCode.OK;
  }

  private static JsonNode read(String source) {
    try {
      String text = source.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
          : Files.readString(Path.of(source), StandardCharsets.UTF_8);
      return MAPPER.readTree(text);
    } catch (NoSuchFileException e) {
      throw CliException.usage("no such file '" + source + "'");
    } catch (JsonProcessingException e) {
      throw CliException.usage("'" + source + "' is not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw CliException.usage("cannot read '" + source + "': " + e.getMessage());
    }
  }
}

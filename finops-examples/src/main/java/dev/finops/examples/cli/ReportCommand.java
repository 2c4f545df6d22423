package dev.finops.examples.cli;

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
import java.util.List;

/**
 * {@code finops report --html FILE REPORT.json}: a saved report JSON ({@code finops demo --json}, or
 * any {@link CostReportJson} document) as one self-contained HTML page with charts.
 */
final class ReportCommand implements Command {

  private static final String HTML = "--html";
  private static final ArgSpec SPEC = new ArgSpec().value(HTML).positionals(1);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Override
  public String name() {
    return "report";
  }

  @Override
  public String summary() {
    return "render a saved report JSON as one self-contained HTML page with charts";
  }

  @Override
  public String usage() {
    return "usage: finops report --html FILE.html REPORT.json\n"
        + "\n"
        + "Reads a cost report JSON (the " + CostReportJson.FORMAT + " format: 'finops demo --json', or\n"
        + "CostReportJson in your application; '-' reads standard input) and writes one HTML page with\n"
        + "inline SVG charts and CSS, no script and nothing from the network, so it opens offline and\n"
        + "prints. Charts whose data the JSON lacks (a plain report has no time series) are left out with a\n"
        + "note. Every figure is the JSON's exact amount rounded as the text report rounds.\n"
        + "\n"
        + "  " + HTML + " FILE.html   where to write the page (required)\n";
  }

  @Override
  public int run(List<String> argList, PrintStream out, PrintStream err) {
    Args args = SPEC.parse(argList);
    String file = args.required(HTML);
    if (args.positionals().isEmpty()) {
      throw CliException.usage("missing REPORT.json");
    }
    JsonNode report = read(args.positionals().get(0));
    String page;
    try {
      page = HtmlReport.render(report);
    } catch (IllegalArgumentException | java.time.DateTimeException | NullPointerException e) {
      throw CliException.usage("cannot render '" + args.positionals().get(0) + "': " + e.getMessage());
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

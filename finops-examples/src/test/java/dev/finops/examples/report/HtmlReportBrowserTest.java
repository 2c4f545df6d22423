package dev.finops.examples.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.finops.cli.FinOpsCli;
import dev.finops.core.report.CostReport;
import dev.finops.core.report.html.HtmlReport;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * {@code finops demo --json --html FILE} opened in headless Chromium through WebDriver: no console
 * errors, every chart present and drawn, a screenshot that is not blank, the page's figures equal to
 * the JSON report's (rounded as the text report rounds), the page under 1 MB and loaded in well under
 * a second (Navigation Timing).
 *
 * <p>Uses the system's Chromium and chromedriver (Debian: {@code apt-get install chromium
 * chromium-driver}), never a downloaded driver; without them the test is skipped, unless {@code
 * FINOPS_REQUIRE_CHROMIUM=true} (as in CI), which makes it fail. The screenshot is written to {@code
 * target/html-report/report.png} (the README's {@code docs/images/report.png} is a copy of it).
 */
class HtmlReportBrowserTest {

  private static final List<String> CHROMIUM = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser",
      "/usr/bin/google-chrome");
  private static final List<String> CHROMEDRIVER = List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");

  @TempDir
  static Path dir;
  private static ChromeDriver driver;
  private static JsonNode json;
  private static Path page;
  private static long loadMillis;

  @BeforeAll
  static void openTheDemoPage() throws Exception {
    String chromium = firstExecutable(CHROMIUM);
    String chromedriver = firstExecutable(CHROMEDRIVER);
    if (chromium == null || chromedriver == null) {
      String reason = "Chromium and chromedriver are not installed (looked for " + CHROMIUM + " and " + CHROMEDRIVER
          + "); Debian: apt-get install -y chromium chromium-driver";
      if ("true".equalsIgnoreCase(System.getenv("FINOPS_REQUIRE_CHROMIUM"))) {
        fail(reason + ", which FINOPS_REQUIRE_CHROMIUM=true requires");
      }
      Assumptions.abort(reason);
    }
    page = dir.resolve("day.html");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = FinOpsCli.run(new String[] {"demo", "--json", "--html", page.toString()},
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    json = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));

    // The system driver, named explicitly: Selenium Manager is never asked to download one.
    System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, chromedriver);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(chromedriver)).usingAnyFreePort().build();
    ChromeOptions options = new ChromeOptions().setBinary(chromium)
        .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--hide-scrollbars", "--force-device-scale-factor=1", "--window-size=820,1200");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    driver.get(page.toUri().toString());
    Object load = ((JavascriptExecutor) driver).executeScript(
        "const t = performance.getEntriesByType('navigation')[0]; return Math.round(t.loadEventEnd - t.startTime);");
    loadMillis = ((Number) load).longValue();
  }

  @AfterAll
  static void quit() {
    if (driver != null) {
      driver.quit();
    }
  }

  @Test
  void loads_without_console_errors_small_and_fast() throws Exception {
    List<String> severe = new ArrayList<>();
    for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
      if (e.getLevel().intValue() >= Level.WARNING.intValue()) {
        severe.add(e.getLevel() + " " + e.getMessage());
      }
    }
    assertThat(severe).isEmpty();
    long bytes = Files.size(page);
    System.out.println("HTML report of the demo day: " + bytes + " bytes, loaded in " + loadMillis + " ms");
    assertThat(bytes).isLessThan(1_000_000);
    assertThat(loadMillis).isBetween(0L, 1_000L);
    String html = Files.readString(page);
    assertThat(html).doesNotContain("<script", "http://", "https://", "@import", "url(")
        .contains("<svg", "<table");
  }

  @Test
  void every_chart_is_present_and_drawn() {
    for (String id : HtmlReport.CHART_IDS) {
      WebElement section = driver.findElement(By.id(id));
      assertThat(section.getAttribute("class")).as(id).doesNotContain("omitted");
      assertThat(section.findElement(By.tagName("h2")).getText()).as(id).isNotBlank();
      assertThat(section.findElements(By.cssSelector("svg rect, svg polyline, svg circle"))).as(id).isNotEmpty();
      assertThat(section.findElements(By.cssSelector("ul.legend li"))).as(id).isNotEmpty();
      assertThat(section.findElements(By.cssSelector("table.data tbody tr"))).as(id).isNotEmpty();
      assertThat(section.findElements(By.cssSelector("p.units"))).as(id).isNotEmpty();
      WebElement svg = section.findElement(By.cssSelector("svg"));
      assertThat(svg.getSize().getWidth() * svg.getSize().getHeight()).as(id).isPositive();
    }
  }

  @Test
  void figures_on_the_page_equal_the_json_report() {
    assertThat(text(By.id("total-cost"))).isEqualTo(amount(json.at("/total/lines/0/cost")) + " USD");
    for (String grouping : List.of("team", "model", "resource")) {
      List<WebElement> rows = driver.findElements(By.cssSelector("#table-group-" + grouping + " tbody tr"));
      JsonNode groups = json.at("/groupings/" + grouping + "/groups");
      assertThat(rows).hasSize(groups.size());
      for (int i = 0; i < rows.size(); i++) {
        // usage without the grouping's tag (the evaluation box has no model) is "(untagged)" on the page
        JsonNode name = groups.get(i).get("name");
        assertThat(cells(rows.get(i))).startsWith(name.isNull() ? "(untagged)" : name.asText(),
            amount(groups.get(i).at("/lines/0/cost")), groups.get(i).at("/lines/0/requests").asText());
      }
    }
    // Spend over time: the series totals, and their sum, are the report's team totals and total.
    List<String> totals = cells(driver.findElement(By.cssSelector("#table-sot-team tr.total")));
    JsonNode teams = json.at("/groupings/team/groups");
    assertThat(totals).containsExactly("total", amount(teams.get(0).at("/lines/0/cost")),
        amount(teams.get(1).at("/lines/0/cost")), amount(json.at("/total/lines/0/cost")));

    JsonNode run = json.get("training_run");
    assertThat(cells(driver.findElement(By.cssSelector("#table-gpu-useful-idle tbody tr"))))
        .containsExactly("run " + run.get("run_id").asText(), amount(run.get("useful_cost")),
            amount(run.get("idle_cost")), amount(run.get("cost")), "75.65%");
    assertThat(text(By.id("training-run-stats"))).contains(amount(run.get("cost")), amount(run.get("lost_work_cost")),
        amount(run.get("restart_cost")));
    List<WebElement> runRows = driver.findElements(By.cssSelector("#table-training-run tbody tr"));
    assertThat(cells(runRows.get(runRows.size() - 1))).endsWith(amount(run.get("cost")));
    assertThat(driver.findElements(By.cssSelector("#svg-training-run rect.gap"))).hasSize(run.get("interruptions").asInt());

    JsonNode costs = json.at("/endpoint/request_costs");
    assertThat(text(By.id("request-cost-stats"))).contains(perUnit(costs.get("p50")), perUnit(costs.get("p99")),
        perUnit(costs.get("mean")));
    long binned = 0;
    for (WebElement row : driver.findElements(By.cssSelector("#table-request-cost tbody tr"))) {
      binned += Long.parseLong(cells(row).get(2));
    }
    assertThat(binned).isEqualTo(json.at("/endpoint/requests").asLong());

    JsonNode statuses = json.at("/budgets/statuses");
    for (int i = 0; i < statuses.size(); i++) {
      List<WebElement> rows = driver.findElements(By.cssSelector("#table-budget-" + i + " tbody tr"));
      assertThat(cells(rows.get(rows.size() - 1))).endsWith(amount(statuses.get(i).get("spent")),
          amount(statuses.get(i).get("remaining")));
    }
  }

  @Test
  void screenshot_is_not_blank() throws Exception {
    long height = ((Number) ((JavascriptExecutor) driver).executeScript(
        "return document.documentElement.scrollHeight")).longValue();
    driver.manage().window().setSize(new Dimension(820, (int) Math.min(height + 20, 6000)));
    byte[] png = driver.getScreenshotAs(OutputType.BYTES);
    Path out = Path.of("target", "html-report", "report.png");
    Files.createDirectories(out.getParent());
    Files.write(out, png);
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    assertThat(image.getWidth()).isGreaterThan(500);
    double sum = 0;
    double squares = 0;
    long n = 0;
    for (int y = 0; y < image.getHeight(); y += 3) {
      for (int x = 0; x < image.getWidth(); x += 3) {
        int rgb = image.getRGB(x, y);
        double l = 0.299 * ((rgb >> 16) & 0xff) + 0.587 * ((rgb >> 8) & 0xff) + 0.114 * (rgb & 0xff);
        sum += l;
        squares += l * l;
        n++;
      }
    }
    double mean = sum / n;
    double variance = squares / n - mean * mean;
    assertThat(variance).as("luminance variance of the screenshot").isGreaterThan(200);
  }

  private static String text(By by) {
    return driver.findElement(by).getAttribute("textContent").trim();
  }

  private static List<String> cells(WebElement row) {
    List<String> out = new ArrayList<>();
    for (WebElement c : row.findElements(By.cssSelector("th, td"))) {
      out.add(c.getAttribute("textContent").trim());
    }
    return out;
  }

  private static String amount(JsonNode plain) {
    return new BigDecimal(plain.asText()).setScale(CostReport.TOTAL_SCALE, RoundingMode.HALF_EVEN).toPlainString();
  }

  private static String perUnit(JsonNode plain) {
    return new BigDecimal(plain.asText()).setScale(CostReport.PER_UNIT_SCALE, RoundingMode.HALF_EVEN).toPlainString();
  }

  private static String firstExecutable(List<String> candidates) {
    for (String c : candidates) {
      File f = new File(c);
      if (f.isFile() && f.canExecute()) {
        return c;
      }
    }
    return null;
  }
}

package dev.finops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs {@link FinOpsCli#run} with captured streams, for the tests. */
final class Cli {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** What one run printed and returned. */
  record Result(int code, String out, String err) {

    /** Stdout parsed as the one JSON document it must be. */
    JsonNode json() {
      try {
        return MAPPER.readTree(out);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** Stdout as lines. */
    List<String> lines() {
      return out.lines().toList();
    }
  }

  private Cli() {}

  static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = FinOpsCli.run(args, o, e);
    }
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Runs {@code command} with the test catalog only, then {@code args}. */
  static Result onTestCatalog(List<String> command, String... args) {
    List<String> all = new ArrayList<>(command);
    all.addAll(List.of("--catalog", testCatalog(), "--no-bundled"));
    all.addAll(List.of(args));
    return run(all.toArray(String[]::new));
  }

  /** As {@link #onTestCatalog} with {@code --json}; asserts success and returns the document. */
  static JsonNode jsonOnTestCatalog(List<String> command, String... args) {
    List<String> withJson = new ArrayList<>(command);
    withJson.add("--json");
    Result r = onTestCatalog(withJson, args);
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    return r.json();
  }

  /** Asserts string fields: {@code field1, value1, field2, value2, ...}. */
  static void assertFields(JsonNode node, String... fieldsAndValues) {
    for (int i = 0; i < fieldsAndValues.length; i += 2) {
      JsonNode v = node.get(fieldsAndValues[i]);
      assertThat(v).as("field %s of %s", fieldsAndValues[i], node).isNotNull();
      assertThat(v.textValue()).as(fieldsAndValues[i]).isEqualTo(fieldsAndValues[i + 1]);
    }
  }

  /** The file of a test resource next to this class. */
  static String resource(String name) {
    URL url = Cli.class.getResource(name);
    if (url == null) {
      throw new IllegalStateException("missing test resource " + name);
    }
    try {
      return Path.of(url.toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The small test catalog (made-up prices; see test-catalog.json). */
  static String testCatalog() {
    return resource("test-catalog.json");
  }

  /** GPU-milliseconds at a price per GPU-hour in US dollars, exact. */
  static dev.finops.core.Money gpuCost(long gpuMillis, String perGpuHour) {
    return dev.finops.core.Money.ofFraction(new BigDecimal(perGpuHour).multiply(BigDecimal.valueOf(gpuMillis)),
        3_600_000L, dev.finops.core.Money.USD);
  }

  /** A JSON string field read as an exact decimal. */
  static BigDecimal decimal(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual()) {
      throw new AssertionError("field '" + field + "' is not a string: " + v + " in " + node);
    }
    return new BigDecimal(v.textValue());
  }
}

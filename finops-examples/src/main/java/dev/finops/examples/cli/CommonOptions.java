package dev.finops.examples.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finops.core.catalog.PriceCatalog;
import dev.finops.core.pricing.Pricing;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The options every pricing command shares: {@code --catalog FILE} (repeatable), {@code
 * --no-bundled}, {@code --at YYYY-MM-DD} and {@code --json}, and the {@link Pricing} engine they
 * configure.
 */
final class CommonOptions {

  static final String CATALOG = "--catalog";
  static final String NO_BUNDLED = "--no-bundled";
  static final String AT = "--at";
  static final String JSON = "--json";

  /** The shared options and their help, as option / text pairs. */
  private static final List<String> SHARED_HELP = List.of(
      AT + " YYYY-MM-DD", "use the prices in force at 00:00 UTC of that day (default: now)",
      CATALOG + " FILE", "add a user price catalog, above the bundled one; repeatable,\n"
          + "earlier files take precedence",
      NO_BUNDLED, "leave the bundled catalog out: only the " + CATALOG + " files",
      JSON, "print one JSON object instead of text");

  /**
   * The option lines of a command's usage: its own {@code optionAndText} pairs, then the shared
   * options, descriptions aligned in one column ({@code \n} in a text continues it on the next line).
   */
  static String optionsHelp(String... optionAndText) {
    List<String> pairs = new ArrayList<>(List.of(optionAndText));
    pairs.addAll(SHARED_HELP);
    return format(pairs);
  }

  /** As {@link #optionsHelp}, for commands that price at the data's own time: without {@code --at}. */
  static String optionsHelpWithoutAt(String... optionAndText) {
    List<String> pairs = new ArrayList<>(List.of(optionAndText));
    pairs.addAll(SHARED_HELP.subList(2, SHARED_HELP.size()));
    return format(pairs);
  }

  /** The help of a command's own options only, aligned as {@link #optionsHelp} aligns them. */
  static String ownOptionsHelp(String... optionAndText) {
    return format(List.of(optionAndText));
  }

  private static String format(List<String> pairs) {
    int width = 0;
    for (int i = 0; i < pairs.size(); i += 2) {
      width = Math.max(width, pairs.get(i).length());
    }
    String indent = "\n" + " ".repeat(width + 4);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < pairs.size(); i += 2) {
      String option = pairs.get(i);
      sb.append("  ").append(option).append(" ".repeat(width - option.length() + 2))
          .append(pairs.get(i + 1).replace("\n", indent)).append('\n');
    }
    return sb.toString();
  }

  private CommonOptions() {}

  /** A spec that already holds the shared options. */
  static ArgSpec spec() {
    return new ArgSpec().value(AT).repeatable(CATALOG).flag(NO_BUNDLED, JSON);
  }

  /** The pricing time in epoch milliseconds: 00:00 UTC of {@code --at}, or now. */
  static long at(Args args) {
    LocalDate day = args.date(AT);
    return day == null ? Instant.now().toEpochMilli() : day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  }

  /** Records {@code --at} in JSON output when it was given (output carries no other timestamps). */
  static void putAt(ObjectNode json, Args args) {
    LocalDate day = args.date(AT);
    if (day != null) {
      json.put("at", day.toString());
    }
  }

  static boolean json(Args args) {
    return args.flag(JSON);
  }

  /**
   * A pricing engine with the {@code --catalog} files as user catalogs above the bundled catalog (left
   * out with {@code --no-bundled}, or with a warning when this build has none).
   *
   * @throws CliException ({@link ExitCode#BAD_CATALOG}) for a missing file or no catalog at all; ({@link
   *     ExitCode#USAGE}) for {@code --no-bundled} without {@code --catalog}
   * @throws dev.finops.core.catalog.CatalogException for an invalid catalog
   */
  static Pricing pricing(Args args, PrintStream err) {
    Pricing.Builder builder = Pricing.builder();
    List<String> files = args.values(CATALOG);
    for (String f : files) {
      Path path = Path.of(f);
      if (!Files.isRegularFile(path)) {
        throw new CliException(ExitCode.BAD_CATALOG, CATALOG + ": " + (Files.isDirectory(path)
            ? "'" + f + "' is a directory; give a catalog file" : "no such file: '" + f + "'"));
      }
      builder.userCatalog(PriceCatalog.load(path));
    }
    if (args.flag(NO_BUNDLED) || !bundledAvailable(files, err)) {
      if (files.isEmpty()) {
        if (args.flag(NO_BUNDLED)) {
          throw CliException.usage(NO_BUNDLED + ": needs at least one " + CATALOG + " FILE");
        }
        throw new CliException(ExitCode.BAD_CATALOG, "this build has no bundled price catalog; give one with "
            + CATALOG + " FILE");
      }
      builder.bundledCatalog(null);
    }
    return builder.build();
  }

  private static boolean bundledAvailable(List<String> files, PrintStream err) {
    boolean present = PriceCatalog.class.getResource(PriceCatalog.BUNDLED_RESOURCE) != null;
    if (!present && !files.isEmpty()) {
      err.println("finops: warning: this build has no bundled price catalog; using the " + CATALOG + " files only");
    }
    return present;
  }
}

package dev.finops.cli;

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
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options every pricing command shares, as a picocli mixin: {@code --at YYYY-MM-DD}, the catalogs
 * ({@link Catalogs}: {@code --catalog FILE}, repeatable, and {@code --no-bundled}) and {@code --json}
 * ({@link Json}); commands that price at their data's own time mix in the last two only.
 */
final class CommonOptions {

  static final String CATALOG = "--catalog";
  static final String NO_BUNDLED = "--no-bundled";

  @Option(names = "--at", paramLabel = "YYYY-MM-DD", converter = Converters.Day.class,
      description = "use the prices in force at 00:00 UTC of that day (default: now)")
  LocalDate day;

  @Mixin
  Catalogs catalogs;

  @Mixin
  Json json;

  /** The pricing time in epoch milliseconds: 00:00 UTC of {@code --at}, or now. */
  long at() {
    return day == null ? Instant.now().toEpochMilli() : day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  }

  /** Records {@code --at} in JSON output when it was given (output carries no other timestamps). */
  void putAt(ObjectNode out) {
    if (day != null) {
      out.put("at", day.toString());
    }
  }

  boolean json() {
    return json.json;
  }

  Pricing pricing(PrintStream err) {
    return catalogs.pricing(err);
  }

  /** {@code --json}. */
  static final class Json {
    @Option(names = "--json", description = "print one JSON object instead of text")
    boolean json;
  }

  /** {@code --catalog FILE}... and {@code --no-bundled}: the catalogs a command prices from. */
  static final class Catalogs {

    @Option(names = CATALOG, paramLabel = "FILE", description = {"add a user price catalog, above the bundled one;",
        "repeatable, earlier files take precedence"})
    List<Path> files = new ArrayList<>();

    @Option(names = NO_BUNDLED, description = "leave the bundled catalog out: only the " + CATALOG + " files")
    boolean noBundled;

    /**
     * A pricing engine with the {@code --catalog} files as user catalogs above the bundled catalog (left
     * out with {@code --no-bundled}, or with a warning when this build has none).
     *
     * @throws CliException ({@link ExitCode#BAD_CATALOG}) for a missing file or no catalog at all; ({@link
     *     ExitCode#USAGE}) for {@code --no-bundled} without {@code --catalog}
     * @throws dev.finops.core.catalog.CatalogException for an invalid catalog
     */
    Pricing pricing(PrintStream err) {
      Pricing.Builder builder = Pricing.builder();
      for (Path path : files) {
        if (!Files.isRegularFile(path)) {
          throw new CliException(ExitCode.BAD_CATALOG, CATALOG + ": " + (Files.isDirectory(path)
              ? "'" + path + "' is a directory; give a catalog file" : "no such file: '" + path + "'"));
        }
        builder.userCatalog(PriceCatalog.load(path));
      }
      if (noBundled || !bundledAvailable(err)) {
        if (files.isEmpty()) {
          if (noBundled) {
            throw CliException.usage(NO_BUNDLED + ": needs at least one " + CATALOG + " FILE");
          }
          throw new CliException(ExitCode.BAD_CATALOG, "this build has no bundled price catalog; give one with "
              + CATALOG + " FILE");
        }
        builder.bundledCatalog(null);
      }
      return builder.build();
    }

    private boolean bundledAvailable(PrintStream err) {
      boolean present = PriceCatalog.class.getResource(PriceCatalog.BUNDLED_RESOURCE) != null;
      if (!present && !files.isEmpty()) {
        err.println("finops: warning: this build has no bundled price catalog; using the " + CATALOG + " files only");
      }
      return present;
    }
  }
}

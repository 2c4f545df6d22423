package dev.finops.examples.cli;

import dev.finops.core.Money;
import dev.finops.core.catalog.CatalogWriter;
import dev.finops.core.catalog.GenAiPricesImporter;
import dev.finops.core.catalog.LiteLlmImporter;
import dev.finops.core.catalog.ModelEntry;
import dev.finops.core.catalog.PriceCatalog;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code finops catalog import}: builds one catalog file from the open price datasets and, first, the
 * entries of a hand-curated base catalog (GPU and on-prem rows, reviewed model prices), every entry
 * keeping its provenance and a {@code checked_on} day. Arguments are read in order: {@code --from KIND}
 * names the dataset of the files after it, so several datasets can be merged in one run; the first
 * entry of a provider and id wins.
 */
final class CatalogImport {

  static final String USAGE = "usage: finops catalog import [--base CATALOG] --from genai-prices|litellm FILE...\n"
      + "                            [--from KIND FILE...]... --out FILE [--checked-on YYYY-MM-DD]\n"
      + "                            [--catalog-version V] [--description TEXT]\n"
      + "\n"
      + "Imports pydantic genai-prices' data.json and LiteLLM's model_prices_and_context_window.json into\n"
      + "one catalog file. Entries of --base come first (hand-curated models, GPU instances, on-prem rows);\n"
      + "then each dataset in the order given; the first entry of a provider and id wins. Imported entries\n"
      + "get checked_on = --checked-on (default today, UTC); each names its dataset, version and file in\n"
      + "source. LiteLLM's gemini, vertex_ai-language-models, together_ai, fireworks_ai, bedrock_converse,\n"
      + "cohere_chat and text-completion-openai entries take finops' provider names (google, together,\n"
      + "fireworks, bedrock, cohere, openai). What a dataset does not import is counted on stderr with the\n"
      + "reason. A dataset file that cannot be read exits 4 naming the file, line and field.\n";

  /**
   * LiteLLM provider names for services finops (and genai-prices) name otherwise; an imported entry
   * takes the finops name, so one service is one provider and the first dataset's entry wins.
   */
  static final java.util.Map<String, String> LITELLM_PROVIDERS = java.util.Map.of(
      "gemini", "google",
      "vertex_ai-language-models", "google",
      "together_ai", "together",
      "fireworks_ai", "fireworks",
      "bedrock_converse", "bedrock",
      "cohere_chat", "cohere",
      "text-completion-openai", "openai");

  private CatalogImport() {}

  static int run(List<String> args, PrintStream out, PrintStream err) {
    String kind = null;
    Path outFile = null;
    Path base = null;
    LocalDate checkedOn = LocalDate.now(ZoneOffset.UTC);
    String version = null;
    String description = null;
    List<String[]> files = new java.util.ArrayList<>(); // {kind, file}
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      switch (a) {
        case "--from" -> {
          kind = next(args, ++i, a);
          if (!kind.equals("genai-prices") && !kind.equals("litellm")) {
            throw CliException.usage("--from: unknown dataset '" + kind + "' (genai-prices or litellm)");
          }
        }
        case "--out" -> outFile = Path.of(next(args, ++i, a));
        case "--base" -> base = Path.of(next(args, ++i, a));
        case "--catalog-version" -> version = next(args, ++i, a);
        case "--description" -> description = next(args, ++i, a);
        case "--checked-on" -> {
          String d = next(args, ++i, a);
          try {
            checkedOn = LocalDate.parse(d);
          } catch (DateTimeParseException e) {
            throw CliException.usage("--checked-on: not a date YYYY-MM-DD: '" + d + "'");
          }
        }
        default -> {
          if (a.startsWith("--")) {
            throw CliException.usage("catalog import: unknown option '" + a + "'");
          }
          if (kind == null) {
            throw CliException.usage("catalog import: name the dataset of '" + a + "' first (--from genai-prices"
                + " or --from litellm)");
          }
          files.add(new String[] {kind, a});
        }
      }
    }
    if (files.isEmpty()) {
      throw CliException.usage("catalog import: no dataset file (--from genai-prices|litellm FILE)");
    }
    if (outFile == null) {
      throw CliException.usage("catalog import: missing required option --out FILE");
    }

    PriceCatalog.Builder merged = PriceCatalog.builder(outFile.toString(),
        version != null ? version : checkedOn.toString()).currency(Money.USD);
    Set<String> seen = new HashSet<>();
    int duplicates = 0;
    if (base != null) {
      PriceCatalog b = PriceCatalog.load(base);
      for (ModelEntry m : b.models()) {
        seen.add(key(m));
        merged.addModel(m);
      }
      b.gpuInstances().forEach(merged::addGpuInstance);
      b.onPremGpus().forEach(merged::addOnPrem);
      err.println("base " + base + ": " + b.models().size() + " models, " + b.gpuInstances().size()
          + " GPU instances, " + b.onPremGpus().size() + " on-prem rows (kept first)");
    }
    for (String[] f : files) {
      Path path = Path.of(f[1]);
      PriceCatalog c;
      if (f[0].equals("genai-prices")) {
        GenAiPricesImporter.Result r = GenAiPricesImporter.read(path);
        c = r.catalog();
        err.println("genai-prices " + path + " (" + c.version() + "): " + c.models().size() + " models imported; "
            + r.skipped().size() + " skipped " + r.skippedCounts() + "; " + r.dropped().size()
            + " price keys without a finops bucket dropped");
      } else {
        LiteLlmImporter.Result r = LiteLlmImporter.read(path, LiteLlmImporter.Options.all());
        c = r.catalog();
        err.println("litellm " + path + " (" + c.version() + "): " + c.models().size() + " models imported; "
            + r.skippedCount() + " skipped " + new TreeMap<>(r.skippedCounts()));
      }
      for (ModelEntry m : c.models()) {
        String renamed = f[0].equals("litellm") ? LITELLM_PROVIDERS.get(m.provider()) : null;
        if (renamed != null) {
          m = m.withProvider(renamed);
        }
        if (seen.add(key(m))) {
          merged.addModel(m.withCheckedOn(checkedOn));
        } else {
          duplicates++;
        }
      }
    }
    PriceCatalog result = merged.build();
    String generated = "Generated by finops catalog import on " + checkedOn + " from "
        + String.join(", ", files.stream().map(f -> f[0] + " " + Path.of(f[1]).getFileName()).toList())
        + (base == null ? "" : " over " + base.getFileName()) + ". Each entry's source names its dataset and version.";
    try {
      Files.writeString(outFile, CatalogWriter.toJson(result, description != null ? description : generated),
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + outFile + ": " + e.getMessage(), e);
    }
    out.println("wrote " + outFile + ": " + result.models().size() + " models of "
        + result.models().stream().map(ModelEntry::provider).distinct().count() + " providers, "
        + result.gpuInstances().size() + " GPU instances, " + result.onPremGpus().size() + " on-prem rows"
        + (duplicates == 0 ? "" : "; " + duplicates + " entries left out as a provider and id already taken"));
    return ExitCode.OK;
  }

  private static String key(ModelEntry m) {
    return m.provider() + "/" + m.id().toLowerCase(Locale.ROOT);
  }

  private static String next(List<String> args, int i, String option) {
    if (i >= args.size() || args.get(i).startsWith("--")) {
      throw CliException.usage(option + ": missing value");
    }
    return args.get(i);
  }
}

package dev.finops.cli;

import dev.finops.core.Money;
import dev.finops.core.catalog.CatalogWriter;
import dev.finops.core.catalog.GenAiPricesImporter;
import dev.finops.core.catalog.LiteLlmImporter;
import dev.finops.core.catalog.ModelEntry;
import dev.finops.core.catalog.PriceCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.Stack;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.IParameterConsumer;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code finops catalog import}: builds one catalog file from the open price datasets and, first, the
 * entries of a hand-curated base catalog (GPU and on-prem rows, reviewed model prices), every entry
 * keeping its provenance and a {@code checked_on} day. Arguments are read in order: {@code --from KIND}
 * names the dataset of the files after it, so several datasets can be merged in one run; the first
 * entry of a provider and id wins.
 */
@Command(name = "import", description = {
    "build a catalog file from genai-prices' and LiteLLM's price files over a hand-curated base", "",
    "Imports pydantic genai-prices' data.json and LiteLLM's model_prices_and_context_window.json into one catalog "
        + "file. Entries of --base come first (hand-curated models, GPU instances, on-prem rows); then each dataset in "
        + "the order given; the first entry of a provider and id wins. Imported entries get checked_on = --checked-on "
        + "(default today, UTC); each names its dataset, version and file in source. LiteLLM's gemini, "
        + "vertex_ai-language-models, together_ai, fireworks_ai, bedrock_converse, cohere_chat and "
        + "text-completion-openai entries take finops' provider names (google, together, fireworks, bedrock, cohere, "
        + "openai). What a dataset does not import is counted on stderr with the reason. A dataset file that cannot "
        + "be read exits 4 naming the file, line and field."})
final class CatalogImport extends CliCommand {

  private static final List<String> KINDS = List.of("genai-prices", "litellm");

  /** The files of one {@code --from KIND FILE...}. */
  record Dataset(String kind, List<Path> files) {}

  @Option(names = "--base", paramLabel = "CATALOG",
      description = "a hand-curated catalog whose entries come first (models, GPU instances, on-prem rows)")
  Path base;

  @Option(names = "--from", paramLabel = "KIND FILE...", required = true, parameterConsumer = DatasetConsumer.class,
      description = {"the dataset (genai-prices or litellm) of the files after it; repeatable, to merge several"})
  List<Dataset> datasets = new ArrayList<>();

  @Option(names = "--out", paramLabel = "FILE", required = true, description = "the catalog file to write")
  Path outFile;

  @Option(names = "--checked-on", paramLabel = "YYYY-MM-DD", converter = Converters.Day.class,
      description = "the checked_on day of the imported entries (default today, UTC)")
  LocalDate checkedOn;

  @Option(names = "--catalog-version", paramLabel = "V", description = "the catalog's version (default: the day)")
  String version;

  @Option(names = "--description", paramLabel = "TEXT",
      description = "the catalog's description (default: what it was generated from)")
  String description;

  /** {@code --from KIND FILE...}: the kind, then every argument up to the next option. */
  static final class DatasetConsumer implements IParameterConsumer {
    @Override
    public void consumeParameters(Stack<String> args, ArgSpec argSpec, CommandSpec commandSpec) {
      if (args.isEmpty() || args.peek().startsWith("--")) {
        throw new ParameterException(commandSpec.commandLine(), "--from: missing value");
      }
      String kind = args.pop();
      if (!KINDS.contains(kind)) {
        throw new ParameterException(commandSpec.commandLine(), "--from: unknown dataset '" + kind
            + "' (genai-prices or litellm)");
      }
      List<Path> files = new ArrayList<>();
      while (!args.isEmpty() && !args.peek().startsWith("--")) {
        files.add(Path.of(args.pop()));
      }
      List<Dataset> datasets = argSpec.getValue();
      datasets.add(new Dataset(kind, files));
    }
  }

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

  @Override
  int run() {
    LocalDate checkedOn = this.checkedOn != null ? this.checkedOn : LocalDate.now(ZoneOffset.UTC);
    List<String[]> files = new ArrayList<>(); // {kind, file}
    for (Dataset d : datasets) {
      d.files().forEach(f -> files.add(new String[] {d.kind(), f.toString()}));
    }
    if (files.isEmpty()) {
      throw CliException.usage("catalog import: no dataset file (--from genai-prices|litellm FILE)");
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
}

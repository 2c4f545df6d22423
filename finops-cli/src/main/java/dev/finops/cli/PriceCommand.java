package dev.finops.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finops.core.TokenConventions;
import dev.finops.core.Usage;
import dev.finops.core.catalog.ModelPrice;
import dev.finops.core.pricing.CostLine;
import dev.finops.core.pricing.PricedUsage;
import dev.finops.core.pricing.Pricing;
import dev.finops.core.report.TextTable.Align;
import dev.finops.core.report.TextTable;
import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code finops price}: the exact cost of one model call, line by line. */
@Command(name = "price", description = {"price one model call from its token counts", "",
    "Prices one model call: a chat or completion, an embedding (input tokens only), an image (image tokens) or an "
        + "audio request (audio tokens). Token counts follow the OpenTelemetry GenAI convention: input tokens include "
        + "cache reads and writes and audio and image input, output tokens include reasoning and audio and image "
        + "output. Give at least one count. The model may be written as SDKs and gateways write it (openai/gpt-4o, "
        + "models/gemini-2.5-pro, bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0)."})
final class PriceCommand extends CliCommand {

  private static final String INPUT = "--input-tokens";
  private static final String OUTPUT = "--output-tokens";

  @Option(names = "--model", paramLabel = "M", required = true,
      description = "model id, alias or dated snapshot name (e.g. gpt-4o-2024-08-06)")
  String model;

  @Option(names = "--provider", paramLabel = "P", description = "only look at this provider's models (openai, "
      + "anthropic, ...)")
  String provider;

  @Option(names = INPUT, paramLabel = "N", converter = Converters.Count.class,
      description = "all prompt tokens, cached ones included")
  Long input;

  @Option(names = OUTPUT, paramLabel = "N", converter = Converters.Count.class,
      description = "all completion tokens, reasoning included")
  Long output;

  @Option(names = "--cache-read-tokens", paramLabel = "N", converter = Converters.Count.class,
      description = "the part of the input read from the prompt cache (default 0)")
  long cacheRead;

  @Option(names = "--cache-write-tokens", paramLabel = "N", converter = Converters.Count.class,
      description = "the part of the input written to the cache, 5-minute TTL (default 0)")
  long cacheWrite;

  @Option(names = "--cache-write-1h-tokens", paramLabel = "N", converter = Converters.Count.class,
      description = "the part of the input written to the cache, 1-hour TTL (default 0)")
  long cacheWrite1h;

  @Option(names = "--reasoning-tokens", paramLabel = "N", converter = Converters.Count.class,
      description = "the part of the output spent reasoning (default 0)")
  long reasoning;

  @Option(names = "--input-audio-tokens", paramLabel = "N", converter = Converters.Count.class,
      description = "the part of the input that is audio (default 0)")
  long audioIn;

  @Option(names = "--output-audio-tokens", paramLabel = "N", converter = Converters.Count.class,
      description = "the part of the output that is audio (default 0)")
  long audioOut;

  @Option(names = "--input-image-tokens", paramLabel = "N", converter = Converters.Count.class,
      description = "the part of the input that is image tokens (default 0)")
  long imageIn;

  @Option(names = "--output-image-tokens", paramLabel = "N", converter = Converters.Count.class,
      description = "the part of the output that is image tokens (default 0)")
  long imageOut;

  @Option(names = "--requests", paramLabel = "N", converter = Converters.Count.class,
      description = "requests, for per-request fees such as Perplexity's (default 0)")
  long requests;

  @Mixin
  CommonOptions common;

  @Override
  int run() {
    Usage usage = usage();
    long at = common.at();
    Pricing pricing = common.pricing(err);
    PricedUsage priced = pricing.price(provider, model, usage, at);
    if (common.json()) {
      ObjectNode json = json(priced);
      common.putAt(json);
      Formats.printJson(out, json);
    } else {
      printText(priced, out);
    }
    return ExitCode.OK;
  }

  private Usage usage() {
    if (input == null && output == null) {
      throw CliException.usage("give " + INPUT + " N or " + OUTPUT + " N (or both)");
    }
    long input = this.input == null ? 0 : this.input;
    long output = this.output == null ? 0 : this.output;
    if (audioIn + imageIn > input) {
      throw CliException.usage("--input-audio-tokens and --input-image-tokens are part of " + INPUT + " (" + input
          + "), so they cannot add up to more");
    }
    if (audioOut + imageOut > 0 && audioOut + imageOut > output - reasoning) {
      throw CliException.usage("--output-audio-tokens and --output-image-tokens are part of " + OUTPUT + " (" + output
          + ", less " + reasoning + " reasoning), so they cannot add up to more");
    }
    try {
      Usage text = TokenConventions.fromInclusive(input - audioIn - imageIn, output - audioOut - imageOut, cacheRead,
          cacheWrite, cacheWrite1h, reasoning);
      return text.plus(Usage.builder()
          .add(dev.finops.core.UsageBucket.INPUT_AUDIO, audioIn)
          .add(dev.finops.core.UsageBucket.OUTPUT_AUDIO, audioOut)
          .add(dev.finops.core.UsageBucket.INPUT_IMAGE, imageIn)
          .add(dev.finops.core.UsageBucket.OUTPUT_IMAGE, imageOut)
          .requests(requests)
          .build());
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    }
  }

  private static ObjectNode json(PricedUsage p) {
    ModelPrice mp = p.modelPrice();
    ObjectNode json = Formats.object();
    json.put("requested_model", p.requestedModel());
    json.put("model", p.modelId());
    json.put("provider", p.provider());
    json.put("currency", p.currency().getCurrencyCode());
    json.put("total", Formats.money(p.total()));
    ArrayNode lines = json.putArray("lines");
    for (CostLine l : p.lines()) {
      ObjectNode line = lines.addObject();
      line.put("bucket", l.bucket().jsonName());
      line.put("quantity", l.quantity());
      Formats.put(line, "unit_price", Formats.price(l.unitPrice()));
      line.put("unit", l.bucket().unit().pricingName());
      Formats.put(line, "cost", Formats.money(l.cost()));
    }
    json.put("price_source", p.source().jsonName());
    Formats.put(json, "catalog", p.catalogName());
    Formats.put(json, "catalog_version", p.catalogVersion());
    Formats.put(json, "valid_from", mp == null ? null : Formats.date(mp.validFrom()));
    Formats.put(json, "valid_to", mp == null ? null : Formats.date(mp.validTo()));
    json.put("context_tier", p.contextTier());
    if (p.contextTier() > 0) {
      json.put("context_tier_above_input_tokens", mp.contextTiers().get(p.contextTier() - 1).aboveInputTokens());
    }
    json.put("service_tier", p.usage().serviceTier());
    return json;
  }

  private static void printText(PricedUsage p, PrintStream out) {
    String currency = p.currency().getCurrencyCode();
    TextTable table = TextTable.of(TextTable.Column.of("bucket", Align.LEFT), TextTable.Column.of("quantity", Align.RIGHT), TextTable.Column.of("unit price (" + currency + ")", Align.DECIMAL), TextTable.Column.of("per", Align.LEFT), TextTable.Column.of("cost (" + currency + ")", Align.DECIMAL)).noUnderline();
    for (CostLine l : p.lines()) {
      table.addRow(l.bucket().jsonName(), Long.toString(l.quantity()), Formats.orNone(Formats.price(l.unitPrice())),
          l.bucket().unit().pricingName(), Formats.orNone(Formats.money(l.cost())));
    }
    table.addRow("total", "", "", "", Formats.money(p.total()));
    out.print(table.render());
    out.println();

    ModelPrice mp = p.modelPrice();
    TextTable about = TextTable.headerless(Align.LEFT, Align.LEFT);
    String model = p.provider() + "/" + p.modelId();
    if (!p.requestedModel().equalsIgnoreCase(p.modelId())) {
      model += " (requested as " + p.requestedModel() + ")";
    }
    about.addRow("model", model);
    about.addRow("total", Formats.money(p.total()) + " " + currency);
    about.addRow("source", p.source().jsonName() + " " + p.catalogName());
    about.addRow("catalog version", p.catalogVersion());
    if (mp != null) {
      about.addRow("price", "valid from " + Formats.date(mp.validFrom())
          + (mp.validTo() == null ? "" : " to " + Formats.date(mp.validTo())));
      if (p.contextTier() > 0) {
        about.addRow("context", "long-context tier: above "
            + mp.contextTiers().get(p.contextTier() - 1).aboveInputTokens() + " input tokens");
      }
    }
    out.print(about.render());
  }
}

package dev.finops.examples.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finops.core.TokenConventions;
import dev.finops.core.Usage;
import dev.finops.core.catalog.ModelPrice;
import dev.finops.core.pricing.CostLine;
import dev.finops.core.pricing.PricedUsage;
import dev.finops.core.pricing.Pricing;
import dev.finops.core.report.TextTable;
import dev.finops.core.report.TextTable.Align;
import java.io.PrintStream;
import java.util.List;

/** {@code finops price}: the exact cost of one model call, line by line. */
final class PriceCommand implements Command {

  private static final String MODEL = "--model";
  private static final String PROVIDER = "--provider";
  private static final String INPUT = "--input-tokens";
  private static final String OUTPUT = "--output-tokens";
  private static final String CACHE_READ = "--cache-read-tokens";
  private static final String CACHE_WRITE = "--cache-write-tokens";
  private static final String CACHE_WRITE_1H = "--cache-write-1h-tokens";
  private static final String REASONING = "--reasoning-tokens";
  private static final String INPUT_AUDIO = "--input-audio-tokens";
  private static final String OUTPUT_AUDIO = "--output-audio-tokens";
  private static final String INPUT_IMAGE = "--input-image-tokens";
  private static final String OUTPUT_IMAGE = "--output-image-tokens";
  private static final String REQUESTS = "--requests";

  private static final ArgSpec SPEC = CommonOptions.spec()
      .value(MODEL, PROVIDER, INPUT, OUTPUT, CACHE_READ, CACHE_WRITE, CACHE_WRITE_1H, REASONING, INPUT_AUDIO,
          OUTPUT_AUDIO, INPUT_IMAGE, OUTPUT_IMAGE, REQUESTS);

  @Override
  public String name() {
    return "price";
  }

  @Override
  public String summary() {
    return "price one model call from its token counts";
  }

  @Override
  public String usage() {
    return "usage: finops price --model M [--provider P] [--input-tokens N] [--output-tokens N]\n"
        + "                    [--cache-read-tokens N] [--cache-write-tokens N] [--cache-write-1h-tokens N]\n"
        + "                    [--reasoning-tokens N] [--input-audio-tokens N] [--output-audio-tokens N]\n"
        + "                    [--input-image-tokens N] [--output-image-tokens N] [--requests N]\n"
        + "                    [--at YYYY-MM-DD] [--catalog FILE]... [--no-bundled] [--json]\n"
        + "\n"
        + "Prices one model call: a chat or completion, an embedding (input tokens only), an image\n"
        + "(image tokens) or an audio request (audio tokens). Token counts follow the OpenTelemetry GenAI\n"
        + "convention: input tokens include cache reads and writes and audio and image input, output\n"
        + "tokens include reasoning and audio and image output. Give at least one count. The model may be\n"
        + "written as SDKs and gateways write it (openai/gpt-4o, models/gemini-2.5-pro,\n"
        + "bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0).\n"
        + "\n"
        + CommonOptions.optionsHelp(
            MODEL + " M", "model id, alias or dated snapshot name (e.g. gpt-4o-2024-08-06)",
            PROVIDER + " P", "only look at this provider's models (openai, anthropic, ...)",
            INPUT + " N", "all prompt tokens, cached ones included",
            OUTPUT + " N", "all completion tokens, reasoning included",
            CACHE_READ + " N", "the part of the input read from the prompt cache (default 0)",
            CACHE_WRITE + " N", "the part of the input written to the cache, 5-minute TTL (default 0)",
            CACHE_WRITE_1H + " N", "the part of the input written to the cache, 1-hour TTL (default 0)",
            REASONING + " N", "the part of the output spent reasoning (default 0)",
            INPUT_AUDIO + " N", "the part of the input that is audio (default 0)",
            OUTPUT_AUDIO + " N", "the part of the output that is audio (default 0)",
            INPUT_IMAGE + " N", "the part of the input that is image tokens (default 0)",
            OUTPUT_IMAGE + " N", "the part of the output that is image tokens (default 0)",
            REQUESTS + " N", "requests, for per-request fees such as Perplexity's (default 0)");
  }

  @Override
  public int run(List<String> argList, PrintStream out, PrintStream err) {
    Args args = SPEC.parse(argList);
    String model = args.required(MODEL);
    String provider = args.value(PROVIDER);
    Usage usage = usage(args);
    long at = CommonOptions.at(args);
    Pricing pricing = CommonOptions.pricing(args, err);
    PricedUsage priced = pricing.price(provider, model, usage, at);
    if (CommonOptions.json(args)) {
      ObjectNode json = json(priced);
      CommonOptions.putAt(json, args);
      Formats.printJson(out, json);
    } else {
      printText(priced, out);
    }
    return ExitCode.OK;
  }

  private static Usage usage(Args args) {
    if (!args.has(INPUT) && !args.has(OUTPUT)) {
      throw CliException.usage("give " + INPUT + " N or " + OUTPUT + " N (or both)");
    }
    long input = args.count(INPUT, 0);
    long output = args.count(OUTPUT, 0);
    long cacheRead = args.count(CACHE_READ, 0);
    long cacheWrite = args.count(CACHE_WRITE, 0);
    long cacheWrite1h = args.count(CACHE_WRITE_1H, 0);
    long reasoning = args.count(REASONING, 0);
    long audioIn = args.count(INPUT_AUDIO, 0);
    long audioOut = args.count(OUTPUT_AUDIO, 0);
    long imageIn = args.count(INPUT_IMAGE, 0);
    long imageOut = args.count(OUTPUT_IMAGE, 0);
    if (audioIn + imageIn > input) {
      throw CliException.usage(INPUT_AUDIO + " and " + INPUT_IMAGE + " are part of " + INPUT + " (" + input
          + "), so they cannot add up to more");
    }
    if (audioOut + imageOut > 0 && audioOut + imageOut > output - reasoning) {
      throw CliException.usage(OUTPUT_AUDIO + " and " + OUTPUT_IMAGE + " are part of " + OUTPUT + " (" + output
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
          .requests(args.count(REQUESTS, 0))
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

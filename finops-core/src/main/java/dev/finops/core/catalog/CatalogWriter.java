package dev.finops.core.catalog;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes a {@link PriceCatalog} in the catalog format of {@code docs/catalog-format.md}, so that
 * reading the output gives the same catalog: prices as decimal strings (never through {@code
 * double}), dates as {@code YYYY-MM-DD} where they fall on midnight UTC, else ISO-8601 instants.
 */
public final class CatalogWriter {

  private CatalogWriter() {}

  /** The catalog as JSON text, with {@code description} (may be {@code null}). */
  public static String toJson(PriceCatalog catalog, String description) {
    StringWriter out = new StringWriter();
    write(catalog, description, out);
    return out.toString();
  }

  /** Writes the catalog as JSON to {@code out} (not closed). */
  public static void write(PriceCatalog catalog, String description, Writer out) {
    try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
      g.setPrettyPrinter(new DefaultPrettyPrinter());
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      Currency cur = catalog.currency();
      g.writeStartObject();
      g.writeNumberField("format_version", CatalogReader.FORMAT_VERSION);
      g.writeStringField("catalog_version", catalog.version());
      g.writeStringField("currency", cur.getCurrencyCode());
      if (description != null) {
        g.writeStringField("description", description);
      }
      g.writeArrayFieldStart("models");
      for (ModelEntry m : catalog.models()) {
        model(g, m, cur);
      }
      g.writeEndArray();
      g.writeArrayFieldStart("gpu_instances");
      for (GpuInstance i : catalog.gpuInstances()) {
        g.writeStartObject();
        g.writeStringField("provider", i.provider());
        g.writeStringField("region", i.region());
        g.writeStringField("instance_type", i.instanceType());
        g.writeStringField("accelerator", i.accelerator());
        g.writeNumberField("gpus", i.gpuCount());
        optional(g, "source", i.source());
        optional(g, "notes", i.notes());
        g.writeArrayFieldStart("versions");
        for (GpuPrice p : i.prices()) {
          g.writeStartObject();
          validity(g, p.validFrom(), p.validTo(), p.currency(), cur);
          price(g, "on_demand_hourly", p.onDemandHourly());
          price(g, "spot_hourly", p.spotHourly());
          price(g, "committed_hourly", p.committedHourly());
          g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeArrayFieldStart("on_prem_gpus");
      for (OnPremGpu o : catalog.onPremGpus()) {
        g.writeStartObject();
        g.writeStringField("id", o.id());
        g.writeStringField("accelerator", o.accelerator());
        g.writeNumberField("gpus", o.gpuCount());
        optional(g, "source", o.source());
        optional(g, "notes", o.notes());
        g.writeArrayFieldStart("versions");
        for (OnPremGpu.Price p : o.prices()) {
          g.writeStartObject();
          validity(g, p.validFrom(), p.validTo(), p.currency(), cur);
          price(g, "amortized_gpu_hourly", p.amortizedGpuHourly());
          price(g, "energy_per_kwh", p.energyPerKwh());
          g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
      g.writeRaw('\n');
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void model(JsonGenerator g, ModelEntry m, Currency cur) throws IOException {
    g.writeStartObject();
    g.writeStringField("provider", m.provider());
    g.writeStringField("id", m.id());
    if (!m.aliases().isEmpty()) {
      g.writeArrayFieldStart("aliases");
      for (String a : m.aliases()) {
        g.writeString(a);
      }
      g.writeEndArray();
    }
    if (!m.patterns().isEmpty()) {
      g.writeArrayFieldStart("match");
      for (Pattern p : m.patterns()) {
        g.writeString(p.pattern());
      }
      g.writeEndArray();
    }
    optional(g, "source", m.source());
    optional(g, "notes", m.notes());
    if (m.checkedOn() != null) {
      g.writeStringField("checked_on", m.checkedOn().toString());
    }
    g.writeArrayFieldStart("versions");
    for (ModelPrice p : m.prices()) {
      g.writeStartObject();
      validity(g, p.validFrom(), p.validTo(), p.currency(), cur);
      prices(g, p);
      if (!p.serviceTierMultipliers().isEmpty()) {
        g.writeObjectFieldStart("service_tiers");
        for (Map.Entry<String, BigDecimal> e : p.serviceTierMultipliers().entrySet()) {
          g.writeStringField(e.getKey(), e.getValue().toPlainString());
        }
        g.writeEndObject();
      }
      if (!p.timeOfDay().isEmpty()) {
        g.writeArrayFieldStart("time_of_day");
        for (TimeOfDayPrice w : p.timeOfDay()) {
          g.writeStartObject();
          g.writeStringField("from", TimeOfDayPrice.format(w.fromSecondOfDay()));
          g.writeStringField("to", TimeOfDayPrice.format(w.toSecondOfDay()));
          prices(g, w.price());
          g.writeEndObject();
        }
        g.writeEndArray();
      }
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  /** "prices" and "context_tiers" of a price. */
  private static void prices(JsonGenerator g, ModelPrice p) throws IOException {
    buckets(g, p.base());
    if (!p.contextTiers().isEmpty()) {
      g.writeArrayFieldStart("context_tiers");
      for (ContextTier t : p.contextTiers()) {
        g.writeStartObject();
        g.writeNumberField("above_input_tokens", t.aboveInputTokens());
        buckets(g, t.prices());
        g.writeEndObject();
      }
      g.writeEndArray();
    }
  }

  private static void buckets(JsonGenerator g, BucketPrices prices) throws IOException {
    g.writeObjectFieldStart("prices");
    for (Map.Entry<dev.finops.core.UsageBucket, BigDecimal> e : prices.declared().entrySet()) {
      g.writeStringField(e.getKey().jsonName(), e.getValue().toPlainString());
    }
    g.writeEndObject();
  }

  private static void validity(JsonGenerator g, Instant from, Instant to, Currency c, Currency catalogCurrency)
      throws IOException {
    g.writeStringField("valid_from", date(from));
    if (to != null) {
      g.writeStringField("valid_to", date(to));
    }
    if (!c.equals(catalogCurrency)) {
      g.writeStringField("currency", c.getCurrencyCode());
    }
  }

  /** {@code YYYY-MM-DD} at midnight UTC, else the ISO-8601 instant. */
  static String date(Instant i) {
    return i.atZone(ZoneOffset.UTC).toLocalTime().toSecondOfDay() == 0 && i.getNano() == 0
        ? i.atZone(ZoneOffset.UTC).toLocalDate().toString() : i.toString();
  }

  private static void price(JsonGenerator g, String field, BigDecimal p) throws IOException {
    if (p != null) {
      g.writeStringField(field, p.toPlainString());
    }
  }

  private static void optional(JsonGenerator g, String field, String value) throws IOException {
    if (value != null) {
      g.writeStringField(field, value);
    }
  }
}

package dev.finops.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finops.core.UsageBucket;
import dev.finops.core.catalog.BucketPrices;
import dev.finops.core.catalog.ModelEntry;
import dev.finops.core.catalog.ModelPrice;
import dev.finops.core.catalog.PriceCatalog;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code finops catalog diff OLD NEW}: the models a refresh adds and removes and the prices it changes,
 * each change with the date it takes effect, for review before the new catalog is used.
 */
@Command(name = "diff", description = {"models added and removed and every price changed between two catalogs", "",
    "Compares two catalog files: models added and removed (provider/id), and every price that differs, bucket by "
        + "bucket, at each date either catalog changes a price (old -> new, with the date it is in force from). "
        + "Long-context tiers, service tiers and time-of-day windows that differ are named too."})
final class CatalogDiff extends CliCommand {

  @Parameters(index = "0", paramLabel = "OLD", description = "the catalog file before")
  String oldFile;

  @Parameters(index = "1", paramLabel = "NEW", description = "the catalog file after")
  String newFile;

  @Mixin
  CommonOptions.Json json;

  /** One difference: kind (added, removed, changed), model, from when, and what. */
  record Change(String kind, String model, Instant from, String detail) {}

  @Override
  int run() {
    PriceCatalog old = load(oldFile);
    PriceCatalog now = load(newFile);
    List<Change> changes = diff(old, now);
    if (json.json) {
      ObjectNode json = Formats.object();
      json.put("old", old.name());
      json.put("old_version", old.version());
      json.put("new", now.name());
      json.put("new_version", now.version());
      ArrayNode list = json.putArray("changes");
      for (Change c : changes) {
        ObjectNode o = list.addObject();
        o.put("change", c.kind());
        o.put("model", c.model());
        Formats.put(o, "from", c.from() == null ? null : Formats.date(c.from()));
        o.put("detail", c.detail());
      }
      Formats.printJson(out, json);
    } else {
      out.println("catalog diff " + old.name() + " (" + old.version() + ") -> " + now.name() + " (" + now.version()
          + "): " + count(changes, "added") + " added, " + count(changes, "removed") + " removed, "
          + changes.stream().filter(c -> c.kind().equals("changed")).map(Change::model).distinct().count()
          + " changed");
      for (Change c : changes) {
        out.println(String.format("%-8s %s%s  %s", c.kind(), c.model(),
            c.from() == null ? "" : " from " + Formats.date(c.from()), c.detail()));
      }
    }
    return ExitCode.OK;
  }

  private static long count(List<Change> changes, String kind) {
    return changes.stream().filter(c -> c.kind().equals(kind)).count();
  }

  private static PriceCatalog load(String f) {
    Path p = Path.of(f);
    if (!Files.isRegularFile(p)) {
      throw new CliException(ExitCode.BAD_CATALOG, "catalog diff: no such file: '" + f + "'");
    }
    return PriceCatalog.load(p);
  }

  static List<Change> diff(PriceCatalog old, PriceCatalog now) {
    Map<String, ModelEntry> before = byKey(old);
    Map<String, ModelEntry> after = byKey(now);
    List<Change> out = new ArrayList<>();
    for (Map.Entry<String, ModelEntry> e : after.entrySet()) {
      ModelEntry n = e.getValue();
      ModelEntry o = before.get(e.getKey());
      if (o == null) {
        ModelPrice latest = n.latest();
        out.add(new Change("added", e.getKey(), latest.validFrom(), describe(latest.base())));
      } else if (!o.samePrices(n)) {
        changed(e.getKey(), o, n, out);
      }
    }
    for (String k : before.keySet()) {
      if (!after.containsKey(k)) {
        out.add(new Change("removed", k, null, "no longer priced"));
      }
    }
    return out;
  }

  /** Compares the two at every date either changes a price. */
  private static void changed(String key, ModelEntry o, ModelEntry n, List<Change> out) {
    Set<Instant> points = new TreeSet<>();
    for (ModelEntry m : List.of(o, n)) {
      for (ModelPrice p : m.prices()) {
        points.add(p.validFrom());
        if (p.validTo() != null) {
          points.add(p.validTo());
        }
      }
    }
    for (Instant t : points) {
      ModelPrice a = o.priceAt(t.toEpochMilli());
      ModelPrice b = n.priceAt(t.toEpochMilli());
      if (a == null && b == null) {
        continue;
      }
      if (a == null || b == null) {
        out.add(new Change("changed", key, t, a == null ? "priced from here: " + describe(b.base())
            : "no price from here (was " + describe(a.base()) + ")"));
        continue;
      }
      if (sameExceptValidity(a, b)) {
        continue; // a version split or merged: the change, if any, shows at the next date
      }
      List<String> parts = new ArrayList<>();
      for (UsageBucket u : EnumSet.allOf(UsageBucket.class)) {
        BigDecimal x = a.base().declared().get(u);
        BigDecimal y = b.base().declared().get(u);
        if (x == null ? y != null : y == null || x.compareTo(y) != 0) {
          parts.add(u.jsonName() + " " + plain(x) + " -> " + plain(y));
        }
      }
      if (!tiers(a).equals(tiers(b))) {
        parts.add("context tiers " + tiers(a) + " -> " + tiers(b));
      }
      if (!a.serviceTierMultipliers().equals(b.serviceTierMultipliers())) {
        parts.add("service tiers " + a.serviceTierMultipliers() + " -> " + b.serviceTierMultipliers());
      }
      if (a.timeOfDay().size() != b.timeOfDay().size()) {
        parts.add("time-of-day windows " + a.timeOfDay() + " -> " + b.timeOfDay());
      }
      if (parts.isEmpty()) {
        parts.add("prices of the same value written differently or in another currency");
      }
      out.add(new Change("changed", key, t, String.join(", ", parts)));
    }
  }

  /** The same prices, possibly with other validity bounds (one version split or merged). */
  private static boolean sameExceptValidity(ModelPrice a, ModelPrice b) {
    return a.currency().equals(b.currency()) && a.base().sameAs(b.base()) && tiers(a).equals(tiers(b))
        && a.serviceTierMultipliers().equals(b.serviceTierMultipliers()) && a.timeOfDay().size() == b.timeOfDay().size();
  }

  private static String tiers(ModelPrice p) {
    List<String> t = new ArrayList<>();
    p.contextTiers().forEach(c -> t.add(">" + c.aboveInputTokens() + " " + describe(c.prices())));
    return t.toString();
  }

  private static String describe(BucketPrices prices) {
    Map<String, String> m = new LinkedHashMap<>();
    prices.declared().forEach((b, v) -> m.put(b.jsonName(), v.stripTrailingZeros().toPlainString()));
    return m.toString().replace("=", " ").replace("{", "").replace("}", "");
  }

  private static String plain(BigDecimal d) {
    return d == null ? "none" : d.stripTrailingZeros().toPlainString();
  }

  private static Map<String, ModelEntry> byKey(PriceCatalog c) {
    Map<String, ModelEntry> m = new TreeMap<>();
    for (ModelEntry e : c.models()) {
      m.putIfAbsent(e.provider() + "/" + e.id().toLowerCase(Locale.ROOT), e);
    }
    return m;
  }
}

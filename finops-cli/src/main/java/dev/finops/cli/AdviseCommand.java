package dev.finops.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finops.advisor.Advisor;
import dev.finops.advisor.AdvisorInputException;
import dev.finops.advisor.Recommendation;
import dev.finops.core.Money;
import dev.finops.core.catalog.GpuInstance;
import dev.finops.core.catalog.PurchaseOption;
import dev.finops.core.pricing.Pricing;
import dev.finops.core.pricing.PricingException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/**
 * {@code finops advise SUBJECT ...}: recommendations computed from measured usage (package {@code
 * dev.finops.advisor}), each printed with its evidence, its assumption and its exact monthly saving.
 */
@Command(name = "advise", description = {
    "advice from measured usage: utilization, endpoint, spot, forecast, training (exact costs)", "",
    "Every recommendation prints its evidence, its assumption and its monthly saving (" + Advisor.HOURS_PER_MONTH
        + " hours, priced exactly from the catalog); --json has the same fields. Bad input ends with exit 2 and names "
        + "the file, line and column. Run 'finops advise SUBJECT --help' for a subject's options."},
    subcommands = {AdviseUtilization.class, AdviseEndpoint.class, AdviseSpot.class, AdviseForecast.class,
        AdviseTraining.class})
final class AdviseCommand extends CliCommand {

  @Override
  int run() {
    throw CliException.usage("advise: missing subject (" + String.join(", ", FinOpsCli.subcommandNames(spec)) + ")");
  }

  /** An {@code advise} subject: bad advisor input ({@link AdvisorInputException}) is a bad argument, exit 2. */
  abstract static class Subject extends CliCommand {

    @Override
    final int run() {
      try {
        return advise();
      } catch (AdvisorInputException e) {
        throw CliException.usage(e.getMessage());
      }
    }

    abstract int advise();
  }

  /** {@code --instance TYPE [--provider P] [--region R] [--purchase OPTION]}: the instance advised on. */
  static final class Fleet {
    @Option(names = "--provider", paramLabel = "P", description = "its provider (default: the first match)")
    String provider;

    @Option(names = "--region", paramLabel = "R", description = "its region (default: the first match)")
    String region;

    @Option(names = "--purchase", paramLabel = "OPTION", converter = Purchase.class,
        description = "on_demand (default), spot or committed")
    PurchaseOption purchase = PurchaseOption.ON_DEMAND;

    /** The instance of {@code type}, and every instance type of the catalogs. */
    Target target(CommonOptions.Catalogs catalogs, PrintStream err, String type) {
      return AdviseCommand.target(catalogs, err, type, provider, region);
    }
  }

  /** {@code on_demand}, {@code spot} or {@code committed} ({@code -} for {@code _} too). */
  static final class Purchase implements ITypeConverter<PurchaseOption> {
    @Override
    public PurchaseOption convert(String value) {
      for (PurchaseOption o : PurchaseOption.values()) {
        if (o.jsonName().equals(value.replace('-', '_'))) {
          return o;
        }
      }
      throw Converters.invalid("not on_demand, spot or committed", value);
    }
  }

  /** The instance a command advises on, and every instance type of the catalogs (the first layer's wins). */
  record Target(GpuInstance instance, List<GpuInstance> candidates) {}

  /** Every instance type of the catalogs, the first layer's where several have one. */
  static List<GpuInstance> catalogInstances(CommonOptions.Catalogs catalogs, PrintStream err) {
    Map<String, GpuInstance> all = new LinkedHashMap<>();
    for (Pricing.Layer layer : catalogs.pricing(err).catalogLayers()) {
      for (GpuInstance g : layer.catalog().gpuInstances()) {
        all.putIfAbsent(g.toString(), g);
      }
    }
    return new ArrayList<>(all.values());
  }

  static Target target(CommonOptions.Catalogs catalogs, PrintStream err, String type, String provider,
      String region) {
    Pricing pricing = catalogs.pricing(err);
    GpuInstance instance = null;
    Map<String, GpuInstance> candidates = new LinkedHashMap<>();
    for (Pricing.Layer layer : pricing.catalogLayers()) {
      if (instance == null) {
        instance = layer.catalog().findGpuInstance(provider, region, type);
      }
      for (GpuInstance g : layer.catalog().gpuInstances()) {
        candidates.putIfAbsent(g.toString(), g);
      }
    }
    if (instance == null) {
      throw new PricingException("unknown instance type '" + type + "'"
          + (provider != null ? " of " + provider : "")
          + (region != null ? " in " + region : "") + " (see 'finops catalog list')");
    }
    return new Target(instance, new ArrayList<>(candidates.values()));
  }

  /** Text: the numbered recommendations with evidence, assumption and saving, then the total. */
  static void printRecommendations(PrintStream out, List<Recommendation> recommendations, Money total, Money base,
      String baseName) {
    if (recommendations.isEmpty()) {
      out.println("no recommendation: nothing measured leaves money on the table");
    }
    int i = 1;
    for (Recommendation r : recommendations) {
      out.println(i++ + ". [" + r.kind() + "] " + r.action());
      out.println("   evidence:       " + r.evidence());
      out.println("   assumption:     " + r.assumption());
      out.println("   monthly saving: " + amount(r.monthlySaving()));
    }
    String share = base == null || base.isZero() ? ""
        : " (" + total.times(100).ratio(base, 1).toPlainString() + "% of " + baseName + ")";
    out.println("total monthly saving: " + amount(total) + share);
  }

  /** JSON: the same fields, exact amounts. */
  static ArrayNode recommendationsJson(ObjectNode parent, List<Recommendation> recommendations) {
    ArrayNode list = parent.putArray("recommendations");
    for (Recommendation r : recommendations) {
      ObjectNode j = list.addObject();
      j.put("kind", r.kind());
      ArrayNode subjects = j.putArray("subjects");
      r.subjects().forEach(subjects::add);
      j.put("action", r.action());
      j.put("evidence", r.evidence());
      j.put("assumption", r.assumption());
      j.put("monthly_saving", Formats.money(r.monthlySaving()));
      j.put("currency", r.monthlySaving().currency().getCurrencyCode());
    }
    return list;
  }

  /** An amount for text: 4 places and the currency. */
  static String amount(Money m) {
    return m.amount(4).toPlainString() + " " + m.currency().getCurrencyCode();
  }

  /** {@code KEY=VALUE}: the key and the value, stripped. */
  static String[] keyValue(String option, String text) {
    int eq = text.indexOf('=');
    if (eq <= 0 || eq == text.length() - 1) {
      throw Converters.invalid(option, "not KEY=VALUE", text);
    }
    return new String[] {text.substring(0, eq).strip(), text.substring(eq + 1).strip()};
  }
}

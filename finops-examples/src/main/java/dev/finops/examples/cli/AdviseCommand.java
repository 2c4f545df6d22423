package dev.finops.examples.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finops.advisor.AdvisorInputException;
import dev.finops.advisor.Recommendation;
import dev.finops.core.Money;
import dev.finops.core.catalog.GpuInstance;
import dev.finops.core.pricing.Pricing;
import dev.finops.core.pricing.PricingException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code finops advise SUBJECT ...}: recommendations computed from measured usage (package {@code
 * dev.finops.advisor}), each printed with its evidence, its assumption and its exact monthly saving.
 */
final class AdviseCommand implements Command {

  /** One {@code advise} subject. */
  interface Subject {
    String name();

    String summary();

    String usage();

    int run(List<String> args, PrintStream out, PrintStream err);
  }

  private final Map<String, Subject> subjects = new LinkedHashMap<>();

  AdviseCommand() {
    for (Subject s : List.of(new AdviseUtilization(), new AdviseEndpoint(), new AdviseSpot(), new AdviseForecast(), new AdviseTraining())) {
      subjects.put(s.name(), s);
    }
  }

  @Override
  public String name() {
    return "advise";
  }

  @Override
  public String summary() {
    return "advice from measured usage: utilization, endpoint, spot, forecast, training (exact costs)";
  }

  @Override
  public String usage() {
    StringBuilder sb = new StringBuilder("usage: finops advise SUBJECT [OPTIONS] [--json]\n\nsubjects:\n");
    for (Subject s : subjects.values()) {
      sb.append(String.format("  %-12s  %s%n", s.name(), s.summary()));
    }
    sb.append("\nEvery recommendation prints its evidence, its assumption and its monthly saving (").append(
        dev.finops.advisor.Advisor.HOURS_PER_MONTH).append(" hours,\npriced exactly from the catalog); --json has the"
        + " same fields. Bad input ends with exit 2 and names the\nfile, line and column. Run 'finops advise SUBJECT"
        + " --help' for a subject's options.\n\n");
    for (Subject s : subjects.values()) {
      sb.append(s.usage()).append('\n');
    }
    return sb.toString();
  }

  @Override
  public int run(List<String> args, PrintStream out, PrintStream err) {
    if (args.isEmpty() || args.get(0).startsWith("--")) {
      throw CliException.usage("advise: missing subject (" + String.join(", ", subjects.keySet()) + ")");
    }
    Subject s = subjects.get(args.get(0));
    if (s == null) {
      throw CliException.usage("advise: unknown subject '" + args.get(0) + "' (" + String.join(", ", subjects.keySet())
          + ")");
    }
    try {
      return s.run(args.subList(1, args.size()), out, err);
    } catch (AdvisorInputException e) {
      throw CliException.usage(e.getMessage());
    }
  }

  /** The instance a command advises on, and every instance type of the catalogs (the first layer's wins). */
  record Target(GpuInstance instance, List<GpuInstance> candidates) {}

  /** Every instance type of the catalogs, the first layer's where several have one. */
  static List<GpuInstance> catalogInstances(Args args, PrintStream err) {
    Map<String, GpuInstance> all = new LinkedHashMap<>();
    for (Pricing.Layer layer : CommonOptions.pricing(args, err).catalogLayers()) {
      for (GpuInstance g : layer.catalog().gpuInstances()) {
        all.putIfAbsent(g.toString(), g);
      }
    }
    return new ArrayList<>(all.values());
  }

  static Target target(Args args, PrintStream err, String type, String providerOption, String regionOption) {
    Pricing pricing = CommonOptions.pricing(args, err);
    GpuInstance instance = null;
    Map<String, GpuInstance> candidates = new LinkedHashMap<>();
    for (Pricing.Layer layer : pricing.catalogLayers()) {
      if (instance == null) {
        instance = layer.catalog().findGpuInstance(args.value(providerOption), args.value(regionOption), type);
      }
      for (GpuInstance g : layer.catalog().gpuInstances()) {
        candidates.putIfAbsent(g.toString(), g);
      }
    }
    if (instance == null) {
      throw new PricingException("unknown instance type '" + type + "'"
          + (args.has(providerOption) ? " of " + args.value(providerOption) : "")
          + (args.has(regionOption) ? " in " + args.value(regionOption) : "") + " (see 'finops catalog list')");
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

  static List<String> split(String value, String option) {
    List<String> parts = new ArrayList<>();
    for (String p : value.split(",")) {
      if (p.isBlank()) {
        throw Args.invalid(option, "empty item", value);
      }
      parts.add(p.strip());
    }
    return parts;
  }
}

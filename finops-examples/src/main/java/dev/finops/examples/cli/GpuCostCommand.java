package dev.finops.examples.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finops.core.Money;
import dev.finops.core.catalog.GpuInstance;
import dev.finops.core.catalog.GpuPrice;
import dev.finops.core.catalog.PurchaseOption;
import dev.finops.core.pricing.GpuCost;
import dev.finops.core.pricing.Pricing;
import dev.finops.core.report.TextTable;
import dev.finops.core.report.TextTable.Align;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.util.List;

/**
 * {@code finops gpu-cost}: what GPU capacity costs at a measured utilization, and the effective rate
 * per useful hour. The rate comes from {@code --hourly-rate} (US dollars per GPU-hour, for {@code --gpus}) or
 * from a catalog's instance price.
 */
final class GpuCostCommand implements Command {

  private static final String INSTANCE = "--instance";
  private static final String PROVIDER = "--provider";
  private static final String REGION = "--region";
  private static final String SPOT = "--spot";
  private static final String HOURLY_RATE = "--hourly-rate";
  private static final String GPUS = "--gpus";
  private static final String HOURS = "--hours";
  private static final String UTILIZATION = "--utilization";

  private static final ArgSpec SPEC = CommonOptions.spec()
      .value(INSTANCE, PROVIDER, REGION, HOURLY_RATE, GPUS, HOURS, UTILIZATION)
      .flag(SPOT);

  @Override
  public String name() {
    return "gpu-cost";
  }

  @Override
  public String summary() {
    return "what GPU time costs at a utilization, and the effective rate per useful hour";
  }

  @Override
  public String usage() {
    return "usage: finops gpu-cost (--instance TYPE [--provider P] [--region R] [--spot] | --hourly-rate AMOUNT)\n"
        + "                       [--gpus N] --hours H [--utilization U] [--at YYYY-MM-DD]\n"
        + "                       [--catalog FILE]... [--no-bundled] [--json]\n"
        + "\n"
        + "Splits the bill for GPU capacity into useful and idle cost and gives the effective rate per\n"
        + "useful hour (rate / utilization): a $32/h machine used at 40% costs $80 per useful hour.\n"
        + "\n"
        + CommonOptions.optionsHelp(
            INSTANCE + " TYPE", "a catalog instance type (e.g. p4d.24xlarge): its on-demand hourly price",
            PROVIDER + " P", "the instance's provider (aws, gcp, azure, ...)",
            REGION + " R", "the instance's region (default: the first one the catalogs list)",
            SPOT, "use the instance's spot price instead of on-demand",
            HOURLY_RATE + " AMOUNT", "the price per GPU-hour, in USD, instead of " + INSTANCE + " (as in run-sim)",
            GPUS + " N", "with " + HOURLY_RATE + ": how many GPUs are billed at that rate (default 1);\n"
                + "with " + INSTANCE + ": bill N GPUs at the instance's per-GPU rate\n"
                + "(default: all the instance's GPUs)",
            HOURS + " H", "billed hours, a decimal (e.g. 1.5)",
            UTILIZATION + " U", "the useful fraction, 0.4 or 40% (default 1)");
  }

  /** The rate and where it came from: an instance price, or {@code --hourly-rate}. */
  private static final class Rate {
    final Money hourly;
    final int gpus;
    final Pricing.GpuRate instanceRate; // null for --hourly-rate
    final GpuPrice instancePrice; // null for --hourly-rate

    Rate(Money hourly, int gpus, Pricing.GpuRate instanceRate, GpuPrice instancePrice) {
      this.hourly = hourly;
      this.gpus = gpus;
      this.instanceRate = instanceRate;
      this.instancePrice = instancePrice;
    }
  }

  @Override
  public int run(List<String> argList, PrintStream out, PrintStream err) {
    Args args = SPEC.parse(argList);
    BigDecimal hours = args.requiredDecimal(HOURS);
    BigDecimal utilization = utilization(args);
    Rate rate = args.has(INSTANCE) ? instanceRate(args, err) : givenRate(args);
    GpuCost cost = GpuCost.of(rate.hourly, rate.gpus, hours, utilization);
    String effective = null;
    String effectiveGpu = null;
    if (cost.hasEffectiveRate()) {
      effective = Formats.money(cost.effectiveHourlyRate());
      effectiveGpu = Formats.money(cost.effectiveGpuHourlyRate());
    }
    if (CommonOptions.json(args)) {
      ObjectNode json = json(cost, effective, effectiveGpu, rate);
      CommonOptions.putAt(json, args);
      Formats.printJson(out, json);
    } else {
      printText(cost, rate, out);
    }
    return ExitCode.OK;
  }

  private static Rate givenRate(Args args) {
    if (!args.has(HOURLY_RATE)) {
      throw CliException.usage("missing " + INSTANCE + " TYPE or " + HOURLY_RATE + " AMOUNT");
    }
    for (String instanceOnly : List.of(PROVIDER, REGION, SPOT)) {
      if (args.has(instanceOnly)) {
        throw CliException.usage(instanceOnly + ": only goes with " + INSTANCE);
      }
    }
    int gpus = args.positiveInt(GPUS, 1);
    // Per GPU-hour, as everywhere in finops: N GPUs cost N times the rate.
    return new Rate(Money.of(args.requiredDecimal(HOURLY_RATE), Money.USD).times(gpus), gpus, null, null);
  }

  private static Rate instanceRate(Args args, PrintStream err) {
    if (args.has(HOURLY_RATE)) {
      throw CliException.usage(INSTANCE + " and " + HOURLY_RATE + ": give one, not both");
    }
    long at = CommonOptions.at(args);
    PurchaseOption option = args.flag(SPOT) ? PurchaseOption.SPOT : PurchaseOption.ON_DEMAND;
    Pricing pricing = CommonOptions.pricing(args, err);
    Pricing.GpuRate gpuRate =
        pricing.gpuRate(args.value(PROVIDER), args.value(REGION), args.required(INSTANCE), option, at);
    GpuInstance instance = gpuRate.instance();
    int gpus = args.positiveInt(GPUS, instance.gpuCount());
    // N GPUs at the instance's per-GPU rate: instance rate × N / GPUs per instance, exact.
    Money hourly = gpuRate.hourly().times(gpus).dividedBy(instance.gpuCount());
    return new Rate(hourly, gpus, gpuRate, instance.priceAt(at));
  }

  /** {@code 0.4} or {@code 40%}, between 0 and 1; 1 when absent. */
  static BigDecimal utilization(Args args) {
    String v = args.value(UTILIZATION);
    if (v == null) {
      return BigDecimal.ONE;
    }
    String s = v.trim();
    boolean percent = s.endsWith("%");
    BigDecimal u = Args.parseDecimal(UTILIZATION, percent ? s.substring(0, s.length() - 1) : s);
    if (percent) {
      u = u.movePointLeft(2);
    }
    if (u.compareTo(BigDecimal.ONE) > 0) {
      throw Args.invalid(UTILIZATION, "must be between 0 and 1 (or 0% and 100%)", v);
    }
    return u;
  }

  /** {@code effective} and {@code effectiveGpu} are the formatted effective rates, null at zero utilization. */
  private static ObjectNode json(GpuCost c, String effective, String effectiveGpu, Rate rate) {
    ObjectNode json = Formats.object();
    json.put("currency", c.hourlyRate().currency().getCurrencyCode());
    json.put("hourly_rate", Formats.money(c.hourlyRate()));
    json.put("gpus", c.gpus());
    json.put("hours", Formats.decimal(c.hours()));
    json.put("utilization", Formats.decimal(c.utilization()));
    json.put("billed", Formats.money(c.billed()));
    json.put("useful_cost", Formats.money(c.usefulCost()));
    json.put("idle_cost", Formats.money(c.idleCost()));
    Formats.put(json, "effective_hourly_rate", effective);
    Formats.put(json, "effective_gpu_hourly_rate", effectiveGpu);
    Pricing.GpuRate r = rate.instanceRate;
    if (r != null) {
      GpuInstance g = r.instance();
      json.put("instance", g.instanceType());
      json.put("provider", g.provider());
      json.put("region", g.region());
      json.put("accelerator", g.accelerator());
      json.put("instance_gpus", g.gpuCount());
      json.put("purchase_option", r.option().jsonName());
      json.put("instance_hourly_rate", Formats.money(r.hourly()));
      json.put("gpu_hourly_rate", Formats.money(r.gpuHourly()));
      json.put("price_source", r.source().jsonName());
      json.put("catalog_version", r.catalogVersion());
      Formats.put(json, "valid_from", Formats.date(rate.instancePrice.validFrom()));
    }
    return json;
  }

  /** The table: amounts to 4 places and rates to 6, as the reports show them (JSON keeps them exact). */
  private static void printText(GpuCost c, Rate rate, PrintStream out) {
    String cur = c.hourlyRate().currency().getCurrencyCode();
    Pricing.GpuRate r = rate.instanceRate;
    if (r != null) {
      GpuInstance g = r.instance();
      TextTable about = TextTable.headerless(Align.LEFT, Align.LEFT);
      about.addRow("instance", g.instanceType() + " (" + g.provider() + ", " + g.region() + "), " + g.gpuCount() + " x "
          + g.accelerator());
      about.addRow("price", Formats.money(r.hourly()) + " " + cur + " per instance-hour, " + r.option().jsonName()
          + " (" + Formats.money(r.gpuHourly()) + " per GPU-hour)");
      about.addRow("source", r.source().jsonName() + ", catalog version " + r.catalogVersion() + ", valid from "
          + Formats.date(rate.instancePrice.validFrom()));
      out.print(about.render());
      out.println();
    }
    TextTable t = TextTable.headerless(Align.LEFT, Align.DECIMAL, Align.LEFT);
    t.addRow("hourly rate", Formats.tableRate(c.hourlyRate()), cur + " per hour for " + c.gpus() + " GPU"
        + (c.gpus() == 1 ? "" : "s"));
    t.addRow("hours", Formats.decimal(c.hours()), "");
    t.addRow("utilization", Formats.decimal(c.utilization()), "");
    t.addRow("billed", Formats.tableAmount(c.billed()), cur);
    t.addRow("useful cost", Formats.tableAmount(c.usefulCost()), cur);
    t.addRow("idle cost", Formats.tableAmount(c.idleCost()), cur);
    t.addRow("effective rate", Formats.orNone(c.hasEffectiveRate() ? Formats.tableRate(c.effectiveHourlyRate()) : null), cur + " per useful hour");
    t.addRow("effective GPU rate", Formats.orNone(c.hasEffectiveRate() ? Formats.tableRate(c.effectiveGpuHourlyRate()) : null), cur + " per useful GPU-hour");
    out.print(t.render());
  }
}

package dev.finops.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finops.core.Money;
import dev.finops.core.catalog.GpuInstance;
import dev.finops.core.catalog.GpuPrice;
import dev.finops.core.pricing.GpuCost;
import dev.finops.core.pricing.Pricing;
import dev.finops.core.report.TextTable.Align;
import dev.finops.core.report.TextTable;
import java.io.PrintStream;
import java.math.BigDecimal;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code finops gpu-cost}: what GPU capacity costs at a measured utilization, and the effective rate
 * per useful hour. The rate comes from {@code --hourly-rate} (US dollars per GPU-hour, for {@code --gpus}) or
 * from a catalog's instance price.
 */
@Command(name = "gpu-cost", description = {
    "what GPU time costs at a utilization, and the effective rate per useful hour", "",
    "Splits the bill for GPU capacity into useful and idle cost and gives the effective rate per useful hour "
        + "(rate / utilization): a $32/h machine used at 40%% costs $80 per useful hour."})
final class GpuCostCommand extends CliCommand {

  private static final String INSTANCE = InstanceOptions.INSTANCE;
  private static final String HOURLY_RATE = InstanceOptions.HOURLY_RATE;

  @ArgGroup(exclusive = true)
  InstanceOptions.RateSource source;

  @Mixin
  InstanceOptions where;

  @Option(names = "--gpus", paramLabel = "N", converter = Converters.Positive.class, description = {
      "with " + HOURLY_RATE + ": how many GPUs are billed at that rate (default 1);",
      "with " + INSTANCE + ": bill N GPUs at the instance's per-GPU rate (default: all the instance's GPUs)"})
  Integer gpus;

  @Option(names = "--hours", paramLabel = "H", required = true, converter = Converters.Decimal.class,
      description = "billed hours, a decimal (e.g. 1.5)")
  BigDecimal hours;

  @Option(names = "--utilization", paramLabel = "U", converter = Utilization.class,
      description = "the useful fraction, 0.4 or 40%% (default 1)")
  BigDecimal utilization = BigDecimal.ONE;

  @Mixin
  CommonOptions common;

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
  int run() {
    Rate rate = source != null && source.instance != null ? instanceRate() : givenRate();
    GpuCost cost = GpuCost.of(rate.hourly, rate.gpus, hours, utilization);
    String effective = null;
    String effectiveGpu = null;
    if (cost.hasEffectiveRate()) {
      effective = Formats.money(cost.effectiveHourlyRate());
      effectiveGpu = Formats.money(cost.effectiveGpuHourlyRate());
    }
    if (common.json()) {
      ObjectNode json = json(cost, effective, effectiveGpu, rate);
      common.putAt(json);
      Formats.printJson(out, json);
    } else {
      printText(cost, rate, out);
    }
    return ExitCode.OK;
  }

  private Rate givenRate() {
    InstanceOptions.requireSource(source);
    where.requireInstance();
    int n = gpus == null ? 1 : gpus;
    // Per GPU-hour, as everywhere in finops: N GPUs cost N times the rate.
    return new Rate(Money.of(source.hourlyRate, Money.USD).times(n), n, null, null);
  }

  private Rate instanceRate() {
    long at = common.at();
    Pricing pricing = common.pricing(err);
    Pricing.GpuRate gpuRate = pricing.gpuRate(where.provider, where.region, source.instance, where.option(), at);
    GpuInstance instance = gpuRate.instance();
    int n = gpus == null ? instance.gpuCount() : gpus;
    // N GPUs at the instance's per-GPU rate: instance rate × N / GPUs per instance, exact.
    Money hourly = gpuRate.hourly().times(n).dividedBy(instance.gpuCount());
    return new Rate(hourly, n, gpuRate, instance.priceAt(at));
  }

  /** {@code 0.4} or {@code 40%}, between 0 and 1. */
  static final class Utilization implements ITypeConverter<BigDecimal> {
    @Override
    public BigDecimal convert(String v) {
      String s = v.trim();
      boolean percent = s.endsWith("%");
      BigDecimal u = Converters.decimal(percent ? s.substring(0, s.length() - 1) : s);
      if (percent) {
        u = u.movePointLeft(2);
      }
      if (u.compareTo(BigDecimal.ONE) > 0) {
        throw Converters.invalid("must be between 0 and 1 (or 0% and 100%)", v);
      }
      return u;
    }
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

package dev.finops.examples.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finops.advisor.Advisor;
import dev.finops.advisor.EndpointAdvice;
import dev.finops.advisor.EndpointAdvisor;
import dev.finops.advisor.RequestLog;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** {@code finops advise endpoint}: replicas per time slice, scale-to-zero, batching and what-ifs from a request CSV. */
final class AdviseEndpoint implements AdviseCommand.Subject {

  private static final String REQUESTS = "--requests";
  private static final String INSTANCE = "--instance";
  private static final String PROVIDER = "--provider";
  private static final String REGION = "--region";
  private static final String PURCHASE = "--purchase";
  private static final String REPLICAS = "--replicas";
  private static final String OUTPUT_TPS = "--output-tokens-per-second";
  private static final String INPUT_TPS = "--input-tokens-per-second";
  private static final String TARGET = "--target-utilization";
  private static final String SLICE = "--slice-seconds";
  private static final String MIN = "--min-replicas";
  private static final String COLD = "--cold-start-seconds";
  private static final String IDLE = "--idle-timeout-seconds";
  private static final String BATCHING = "--batching";
  private static final String BATCH_WINDOW = "--batch-window-ms";
  private static final String MAX_BATCH = "--max-batch";
  private static final String QUANTIZED = "--quantized";
  private static final String WHAT_IF = "--what-if";
  private static final String COLUMN = "--column";

  private static final ArgSpec SPEC = new ArgSpec()
      .value(REQUESTS, INSTANCE, PROVIDER, REGION, PURCHASE, REPLICAS, OUTPUT_TPS, INPUT_TPS, TARGET, SLICE, MIN, COLD,
          IDLE, BATCHING, BATCH_WINDOW, MAX_BATCH, QUANTIZED)
      .repeatable(WHAT_IF, COLUMN, CommonOptions.CATALOG)
      .flag(CommonOptions.NO_BUNDLED, CommonOptions.JSON);

  @Override
  public String name() {
    return "endpoint";
  }

  @Override
  public String summary() {
    return "replicas per time slice, scale-to-zero, batching, quantized or cheaper-GPU what-ifs";
  }

  @Override
  public String usage() {
    return "usage: finops advise endpoint --requests FILE.csv --instance TYPE --replicas N\n"
        + "                              --output-tokens-per-second X [--input-tokens-per-second Y]\n"
        + "                              [--target-utilization U] [--slice-seconds S] [--min-replicas M]\n"
        + "                              [--cold-start-seconds C] [--idle-timeout-seconds I]\n"
        + "                              [--batching F [--batch-window-ms W] [--max-batch B]] [--quantized F]\n"
        + "                              [--what-if TYPE=F]... [--column KEY=NAME]... [--json]\n"
        + "\n"
        + "Reads one row per request: timestamp (ISO 8601 or epoch seconds), input_tokens, output_tokens\n"
        + "(rename with --column time=NAME, input_tokens=NAME, output_tokens=NAME). One replica runs on one\n"
        + "TYPE instance and serves X output (and Y input) tokens per second. Each slice of S seconds (default\n"
        + "300) gets the fewest replicas that serve its tokens at most U busy (default 0.7), at least M\n"
        + "(default 1). Then: scale to zero in gaps longer than I (default 300) plus C (default 60) seconds,\n"
        + "each adding a cold start; and the best of batching (throughput × F when arrivals batch within W ms,\n"
        + "default 50, at most B, default 32), a quantized model (× F) and other instance types (× F each).\n"
        + "Savings against N replicas all the time, priced from the catalog at the last request, over 730 h.\n"
        + "\n"
        + "options:\n"
        + CommonOptions.optionsHelpWithoutAt(
            REQUESTS + " FILE.csv", "the requests",
            INSTANCE + " TYPE", "the catalog instance type of one replica (g6.xlarge)",
            PROVIDER + " P", "its provider (default: the first match)",
            REGION + " R", "its region (default: the first match)",
            PURCHASE + " OPTION", "on_demand (default), spot or committed",
            REPLICAS + " N", "the replicas the endpoint runs today, all the time",
            OUTPUT_TPS + " X", "output tokens per second one replica serves",
            INPUT_TPS + " Y", "input tokens per second one replica serves (default: not limiting)",
            TARGET + " U", "the most a replica may be busy, (0, 1] (default 0.7)",
            SLICE + " S", "time slice in seconds (default 300)",
            MIN + " M", "fewest replicas in a slice (default 1)",
            COLD + " C", "seconds a replica takes to start (default 60)",
            IDLE + " I", "seconds without a request before scaling to zero (default 300)",
            BATCHING + " F", "consider dynamic batching at F × the throughput",
            BATCH_WINDOW + " W", "batching window in milliseconds (default 50)",
            MAX_BATCH + " B", "largest batch (default 32)",
            QUANTIZED + " F", "consider a quantized model at F × the throughput",
            WHAT_IF + " TYPE=F", "consider instance TYPE at F × the throughput; repeatable",
            COLUMN + " KEY=NAME", "the CSV column for KEY; repeatable");
  }

  @Override
  public int run(List<String> argList, PrintStream out, PrintStream err) {
    Args args = SPEC.parse(argList);
    String file = args.required(REQUESTS);
    RequestLog.Columns columns = columns(args);
    AdviseCommand.Target target = AdviseCommand.target(args, err, args.required(INSTANCE), PROVIDER, REGION);
    EndpointAdvisor.Builder b = EndpointAdvisor.builder(target.candidates(), target.instance())
        .purchaseOption(AdviseUtilization.purchase(args.value(PURCHASE)));
    try {
      b.currentReplicas(args.positiveInt(REPLICAS, 0));
      if (!args.has(REPLICAS)) {
        throw CliException.usage("missing required option " + REPLICAS);
      }
      b.outputTokensPerSecond(args.requiredDecimal(OUTPUT_TPS));
      if (args.has(INPUT_TPS)) {
        b.inputTokensPerSecond(args.decimal(INPUT_TPS));
      }
      if (args.has(TARGET)) {
        b.targetUtilization(args.decimal(TARGET));
      }
      b.sliceSeconds(args.positiveInt(SLICE, 300));
      if (args.has(MIN)) {
        b.minReplicas((int) Math.min(Integer.MAX_VALUE, args.count(MIN, 1)));
      }
      b.coldStartSeconds(args.count(COLD, 60));
      b.idleTimeoutSeconds(args.count(IDLE, 300));
      if (args.has(BATCHING)) {
        b.batching(args.decimal(BATCHING), args.count(BATCH_WINDOW, 50), args.positiveInt(MAX_BATCH, 32));
      } else if (args.has(BATCH_WINDOW) || args.has(MAX_BATCH)) {
        throw CliException.usage(BATCH_WINDOW + " and " + MAX_BATCH + " only go with " + BATCHING);
      }
      if (args.has(QUANTIZED)) {
        b.quantized(args.decimal(QUANTIZED));
      }
      for (String w : args.values(WHAT_IF)) {
        String[] kv = AdviseUtilization.keyValue(WHAT_IF, w);
        if (target.candidates().stream().noneMatch(g -> g.instanceType().equalsIgnoreCase(kv[0]))) {
          throw new dev.finops.core.pricing.PricingException(WHAT_IF + ": unknown instance type '" + kv[0] + "'");
        }
        b.whatIf(kv[0], Args.parseDecimal(WHAT_IF, kv[1]));
      }
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    }
    EndpointAdvisor advisor = b.build();
    RequestLog log = RequestLog.read(Path.of(file), columns);
    EndpointAdvice advice;
    try {
      advice = advisor.advise(log);
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCode.NO_PRICE, e.getMessage());
    }
    if (CommonOptions.json(args)) {
      Formats.printJson(out, json(advice, file, log.size()));
    } else {
      print(advice, file, log.size(), out);
    }
    return ExitCode.OK;
  }

  /** The request CSV's columns: the defaults, renamed by {@code --column KEY=NAME}. */
  static RequestLog.Columns columns(Args args) {
    String time = "timestamp";
    String in = "input_tokens";
    String outTokens = "output_tokens";
    for (String c : args.values(COLUMN)) {
      String[] kv = AdviseUtilization.keyValue(COLUMN, c);
      switch (kv[0]) {
        case "time":
          time = kv[1];
          break;
        case "input_tokens":
          in = kv[1];
          break;
        case "output_tokens":
          outTokens = kv[1];
          break;
        default:
          throw Args.invalid(COLUMN, "unknown key (keys: time, input_tokens, output_tokens)", c);
      }
    }
    return new RequestLog.Columns(time, in, outTokens);
  }

  private static void print(EndpointAdvice a, String file, int requests, PrintStream out) {
    out.println("Endpoint advice for " + file + ": " + requests + " requests; a replica is one " + a.instance() + " ("
        + a.instance().gpuCount() + " × " + a.instance().accelerator() + ") at " + AdviseCommand.amount(a.replicaHour())
        + " an hour");
    out.println(String.format(Locale.ROOT, "from %s, %d slices of %d s; replicas needed: peak %d, mean %.2f; today %d"
        + " all the time, %s a month", Instant.ofEpochMilli(a.windowStartMillis()), a.replicasPerSlice().size(),
        a.sliceSeconds(), a.peakReplicas(), a.replicasPerSlice().stream().mapToInt(Integer::intValue).average().orElse(0),
        a.currentReplicas(), AdviseCommand.amount(a.currentMonthlyCost())));
    out.println();
    AdviseCommand.printRecommendations(out, a.recommendations(), a.totalMonthlySaving(), a.currentMonthlyCost(),
        "today's cost");
  }

  private static ObjectNode json(EndpointAdvice a, String file, int requests) {
    ObjectNode o = Formats.object();
    o.put("file", file);
    o.put("requests", requests);
    o.put("provider", a.instance().provider());
    o.put("region", a.instance().region());
    o.put("instance", a.instance().instanceType());
    o.put("replica_hour", Formats.money(a.replicaHour()));
    o.put("currency", a.replicaHour().currency().getCurrencyCode());
    o.put("hours_per_month", Advisor.HOURS_PER_MONTH);
    o.put("current_replicas", a.currentReplicas());
    o.put("slice_seconds", a.sliceSeconds());
    o.put("window_start", Instant.ofEpochMilli(a.windowStartMillis()).toString());
    o.put("peak_replicas", a.peakReplicas());
    o.put("current_monthly_cost", Formats.money(a.currentMonthlyCost()));
    o.put("advised_monthly_cost", Formats.money(a.advisedMonthlyCost()));
    o.put("total_monthly_saving", Formats.money(a.totalMonthlySaving()));
    o.put("cold_starts_per_month", Formats.decimal(BigDecimal.valueOf(a.coldStartsPerMonth())));
    o.put("mean_batch_size", Formats.decimal(BigDecimal.valueOf(a.meanBatchSize())));
    ArrayNode slices = o.putArray("slices");
    for (int s = 0; s < a.replicasPerSlice().size(); s++) {
      ObjectNode j = slices.addObject();
      j.put("start", Instant.ofEpochMilli(a.windowStartMillis() + s * 1000L * a.sliceSeconds()).toString());
      j.put("requests", a.requestsPerSlice().get(s));
      j.put("replicas", a.replicasPerSlice().get(s));
    }
    AdviseCommand.recommendationsJson(o, a.recommendations());
    return o;
  }
}

package dev.finops.cli;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code finops advise endpoint}: replicas per time slice, scale-to-zero, batching and what-ifs from a request CSV. */
@Command(name = "endpoint", description = {
    "replicas per time slice, scale-to-zero, batching, quantized or cheaper-GPU what-ifs", "",
    "Reads one row per request: timestamp (ISO 8601 or epoch seconds), input_tokens, output_tokens (rename with "
        + "--column time=NAME, input_tokens=NAME, output_tokens=NAME). One replica runs on one TYPE instance and "
        + "serves X output (and Y input) tokens per second. Each slice of S seconds (default 300) gets the fewest "
        + "replicas that serve its tokens at most U busy (default 0.7), at least M (default 1). Then: scale to zero in "
        + "gaps longer than I (default 300) plus C (default 60) seconds, each adding a cold start; and the best of "
        + "batching (throughput × F when arrivals batch within W ms, default 50, at most B, default 32), a quantized "
        + "model (× F) and other instance types (× F each). Savings against N replicas all the time, priced from the "
        + "catalog at the last request, over 730 h."})
final class AdviseEndpoint extends AdviseCommand.Subject {

  private static final String BATCHING = "--batching";
  private static final String BATCH_WINDOW = "--batch-window-ms";
  private static final String MAX_BATCH = "--max-batch";
  private static final String WHAT_IF = "--what-if";

  @Option(names = "--requests", paramLabel = "FILE.csv", required = true, description = "the requests")
  String file;

  @Option(names = "--instance", paramLabel = "TYPE", required = true,
      description = "the catalog instance type of one replica (g6.xlarge)")
  String instance;

  @Mixin
  AdviseCommand.Fleet fleet;

  @Option(names = "--replicas", paramLabel = "N", required = true, converter = Converters.Positive.class,
      description = "the replicas the endpoint runs today, all the time")
  int replicas;

  @Option(names = "--output-tokens-per-second", paramLabel = "X", required = true,
      converter = Converters.Decimal.class, description = "output tokens per second one replica serves")
  BigDecimal outputTps;

  @Option(names = "--input-tokens-per-second", paramLabel = "Y", converter = Converters.Decimal.class,
      description = "input tokens per second one replica serves (default: not limiting)")
  BigDecimal inputTps;

  @Option(names = "--target-utilization", paramLabel = "U", converter = Converters.Decimal.class,
      description = "the most a replica may be busy, (0, 1] (default 0.7)")
  BigDecimal target;

  @Option(names = "--slice-seconds", paramLabel = "S", converter = Converters.Positive.class,
      description = "time slice in seconds (default 300)")
  int sliceSeconds = 300;

  @Option(names = "--min-replicas", paramLabel = "M", converter = Converters.Count.class,
      description = "fewest replicas in a slice (default 1)")
  Long minReplicas;

  @Option(names = "--cold-start-seconds", paramLabel = "C", converter = Converters.Count.class,
      description = "seconds a replica takes to start (default 60)")
  long coldStartSeconds = 60;

  @Option(names = "--idle-timeout-seconds", paramLabel = "I", converter = Converters.Count.class,
      description = "seconds without a request before scaling to zero (default 300)")
  long idleTimeoutSeconds = 300;

  @Option(names = BATCHING, paramLabel = "F", converter = Converters.Decimal.class,
      description = "consider dynamic batching at F × the throughput")
  BigDecimal batching;

  @Option(names = BATCH_WINDOW, paramLabel = "W", converter = Converters.Count.class,
      description = "batching window in milliseconds (default 50)")
  Long batchWindowMs;

  @Option(names = MAX_BATCH, paramLabel = "B", converter = Converters.Positive.class,
      description = "largest batch (default 32)")
  Integer maxBatch;

  @Option(names = "--quantized", paramLabel = "F", converter = Converters.Decimal.class,
      description = "consider a quantized model at F × the throughput")
  BigDecimal quantized;

  @Option(names = WHAT_IF, paramLabel = "TYPE=F",
      description = "consider instance TYPE at F × the throughput; repeatable")
  List<String> whatIfs = new ArrayList<>();

  @Mixin
  RequestColumns columns;

  @Mixin
  CommonOptions.Catalogs catalogs;

  @Mixin
  CommonOptions.Json json;

  /** {@code --column KEY=NAME}...: the request CSV's columns, renamed. */
  static final class RequestColumns {
    private static final String COLUMN = "--column";

    @Option(names = COLUMN, paramLabel = "KEY=NAME", description = "the CSV column for KEY; repeatable")
    List<String> renames = new ArrayList<>();

    /** The request CSV's columns: the defaults, renamed by {@code --column KEY=NAME}. */
    RequestLog.Columns columns() {
      String time = "timestamp";
      String in = "input_tokens";
      String outTokens = "output_tokens";
      for (String c : renames) {
        String[] kv = AdviseCommand.keyValue(COLUMN, c);
        switch (kv[0]) {
          case "time" -> time = kv[1];
          case "input_tokens" -> in = kv[1];
          case "output_tokens" -> outTokens = kv[1];
          default -> throw Converters.invalid(COLUMN, "unknown key (keys: time, input_tokens, output_tokens)", c);
        }
      }
      return new RequestLog.Columns(time, in, outTokens);
    }
  }

  @Override
  int advise() {
    RequestLog.Columns columns = this.columns.columns();
    AdviseCommand.Target target = fleet.target(catalogs, err, instance);
    EndpointAdvisor.Builder b = EndpointAdvisor.builder(target.candidates(), target.instance())
        .purchaseOption(fleet.purchase);
    try {
      b.currentReplicas(replicas);
      b.outputTokensPerSecond(outputTps);
      if (inputTps != null) {
        b.inputTokensPerSecond(inputTps);
      }
      if (this.target != null) {
        b.targetUtilization(this.target);
      }
      b.sliceSeconds(sliceSeconds);
      if (minReplicas != null) {
        b.minReplicas((int) Math.min(Integer.MAX_VALUE, minReplicas));
      }
      b.coldStartSeconds(coldStartSeconds);
      b.idleTimeoutSeconds(idleTimeoutSeconds);
      if (batching != null) {
        b.batching(batching, batchWindowMs == null ? 50 : batchWindowMs, maxBatch == null ? 32 : maxBatch);
      } else if (batchWindowMs != null || maxBatch != null) {
        throw CliException.usage(BATCH_WINDOW + " and " + MAX_BATCH + " only go with " + BATCHING);
      }
      if (quantized != null) {
        b.quantized(quantized);
      }
      for (String w : whatIfs) {
        String[] kv = AdviseCommand.keyValue(WHAT_IF, w);
        if (target.candidates().stream().noneMatch(g -> g.instanceType().equalsIgnoreCase(kv[0]))) {
          throw new dev.finops.core.pricing.PricingException(WHAT_IF + ": unknown instance type '" + kv[0] + "'");
        }
        b.whatIf(kv[0], Converters.decimal(WHAT_IF, kv[1]));
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
    if (json.json) {
      Formats.printJson(out, json(advice, file, log.size()));
    } else {
      print(advice, file, log.size(), out);
    }
    return ExitCode.OK;
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

package dev.finops.core.journal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finops.core.catalog.PriceSource;
import dev.finops.core.catalog.PurchaseOption;
import dev.finops.core.pricing.PriceKey;
import dev.finops.core.spot.InterruptionNotice;
import dev.finops.core.UsageBucket;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;

/**
 * Run records and checkpoints as UTF-8 JSON. Decimals are strings in {@link BigDecimal#toString()}
 * form, so they read back with the same scale and price keys compare equal. Stateless.
 */
final class RecordCodec {

  static final int CHECKPOINT_FORMAT = 1;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private RecordCodec() {}

  // ---- records ---------------------------------------------------------------------------------

  static byte[] encode(RunRecord r) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("id", r.id().toString());
    o.put("attempt", r.id().attempt());
    o.put("type", r.type().jsonName());
    o.put("event", r.event());
    o.put("time", r.timeMillis());
    o.set("totals", totals(r.totals()));
    o.put("attempt_gpu_ms", r.attemptGpuMillis());
    o.put("attempt_restart_gpu_ms", r.attemptRestartGpuMillis());
    o.put("rate", r.rate().toString());
    o.put("currency", r.currency().getCurrencyCode());
    putDecimal(o, "on_demand_rate", r.onDemandRate());
    if (r.type() == RecordType.ATTEMPT_STARTED) {
      putText(o, "hardware", r.hardware());
      o.put("gpus", r.gpus());
      if (r.priceKey() != null) {
        o.set("price_key", priceKey(r.priceKey()));
      }
      putText(o, "resume_point", r.resumePoint());
      o.put("previous_lost_gpu_ms", r.previousLostGpuMillis());
    }
    if (r.notice() != null) {
      o.set("notice", notice(r.notice()));
    }
    return bytes(o);
  }

  /** The record in {@code payload}, with the frame's sequence number (authoritative). */
  static RunRecord decode(String runId, long seq, int typeCode, byte[] payload) throws IOException {
    JsonNode o = MAPPER.readTree(payload);
    RecordType type = RecordType.ofCode(typeCode);
    if (type == null) {
      throw new IOException("unknown record type " + typeCode);
    }
    RunRecord.Builder b = RunRecord.builder(type, o.path("attempt").asInt(), decimal(o, "rate"),
        Currency.getInstance(o.path("currency").asText()));
    b.event(o.path("event").asText(type.jsonName())).time(o.path("time").asLong()).totals(totals(o.path("totals")))
        .attemptGpuMillis(o.path("attempt_gpu_ms").asLong(), o.path("attempt_restart_gpu_ms").asLong())
        .onDemandRate(decimal(o, "on_demand_rate"));
    if (type == RecordType.ATTEMPT_STARTED) {
      b.hardware(text(o, "hardware"), o.path("gpus").asInt(), priceKey(o.get("price_key")))
          .resumed(text(o, "resume_point"), o.path("previous_lost_gpu_ms").asLong());
    }
    b.notice(notice(o.get("notice")));
    return b.build(runId, seq);
  }

  // ---- checkpoints -----------------------------------------------------------------------------

  static byte[] encode(RunState s) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("format", CHECKPOINT_FORMAT);
    o.put("run_id", s.runId());
    o.put("last_seq", s.lastSeq());
    o.put("last_time", s.lastMillis());
    o.put("closed", s.isClosed());
    o.set("totals", totals(s.totals()));
    var list = o.putArray("attempts");
    for (AttemptSummary a : s.attempts()) {
      ObjectNode n = list.addObject();
      n.put("number", a.number());
      n.put("start", a.start().toEpochMilli());
      n.put("last", a.last().toEpochMilli());
      putText(n, "hardware", a.hardware());
      n.put("gpus", a.gpus());
      if (a.priceKey() != null) {
        n.set("price_key", priceKey(a.priceKey()));
      }
      n.put("rate", a.rate().toString());
      n.put("currency", a.currency().getCurrencyCode());
      putDecimal(n, "on_demand_rate", a.onDemandRate());
      n.put("gpu_ms", a.gpuMillis());
      n.put("restart_gpu_ms", a.restartGpuMillis());
      n.put("lost_gpu_ms", a.lostGpuMillis());
      if (a.notice() != null) {
        n.set("notice", notice(a.notice()));
      }
      n.put("outcome", a.outcome().name().toLowerCase(java.util.Locale.ROOT));
    }
    return bytes(o);
  }

  static RunState decodeState(byte[] json) throws IOException {
    JsonNode o = MAPPER.readTree(json);
    if (o.path("format").asInt() != CHECKPOINT_FORMAT) {
      throw new IOException("unsupported checkpoint format " + o.path("format"));
    }
    List<AttemptSummary> attempts = new ArrayList<>();
    for (JsonNode n : o.path("attempts")) {
      attempts.add(new AttemptSummary(n.path("number").asInt(), n.path("start").asLong(), n.path("last").asLong(),
          text(n, "hardware"), n.path("gpus").asInt(), priceKey(n.get("price_key")), decimal(n, "rate"),
          Currency.getInstance(n.path("currency").asText()), decimal(n, "on_demand_rate"), n.path("gpu_ms").asLong(),
          n.path("restart_gpu_ms").asLong(), n.path("lost_gpu_ms").asLong(), notice(n.get("notice")),
          AttemptSummary.Outcome.valueOf(n.path("outcome").asText("open").toUpperCase(java.util.Locale.ROOT))));
    }
    return new RunState(o.path("run_id").asText(), o.path("last_seq").asLong(), o.path("last_time").asLong(),
        o.path("closed").asBoolean(), totals(o.path("totals")), attempts);
  }

  // ---- parts -----------------------------------------------------------------------------------

  private static ObjectNode totals(RunTotals t) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("gpu_ms", t.gpuMillis());
    o.put("steps", t.steps());
    o.put("samples", t.samples());
    o.put("tokens", t.tokens());
    o.put("epochs", t.epochs());
    o.put("checkpoints", t.checkpoints());
    o.put("util_weighted", t.utilWeighted());
    o.put("util_covered_ms", t.utilCoveredMillis());
    o.put("gpu_ms_at_checkpoint", t.gpuMillisAtCheckpoint());
    o.put("gpu_ms_at_step", t.gpuMillisAtStep());
    return o;
  }

  private static RunTotals totals(JsonNode o) {
    return RunTotals.builder().gpuMillis(o.path("gpu_ms").asLong()).steps(o.path("steps").asLong())
        .samples(o.path("samples").asLong()).tokens(o.path("tokens").asLong()).epochs(o.path("epochs").asLong())
        .checkpoints(o.path("checkpoints").asLong())
        .utilization(o.path("util_weighted").asLong(), o.path("util_covered_ms").asLong())
        .gpuMillisAtCheckpoint(o.path("gpu_ms_at_checkpoint").asLong())
        .gpuMillisAtStep(o.path("gpu_ms_at_step").asLong()).build();
  }

  private static ObjectNode priceKey(PriceKey k) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("kind", k.kind().name());
    putText(o, "provider", k.provider());
    putText(o, "region", k.region());
    o.put("resource", k.resource());
    putText(o, "option", k.purchaseOption() == null ? null : k.purchaseOption().jsonName());
    o.put("source", k.source().jsonName());
    putText(o, "catalog", k.catalogName());
    putText(o, "version", k.catalogVersion());
    o.put("currency", k.currency().getCurrencyCode());
    if (k.rates() != null) {
      putDecimal(o, "gpu_time", k.rates().price(UsageBucket.GPU_TIME.ordinal()));
      putDecimal(o, "energy", k.rates().price(UsageBucket.ENERGY.ordinal()));
    }
    return o;
  }

  /** The key, or {@code null} for an absent node or a kind a training run does not use. */
  private static PriceKey priceKey(JsonNode o) {
    if (o == null || o.isNull()) {
      return null;
    }
    PriceKey.Kind kind = PriceKey.Kind.valueOf(o.path("kind").asText());
    PurchaseOption option = null;
    for (PurchaseOption p : PurchaseOption.values()) {
      if (p.jsonName().equals(text(o, "option"))) {
        option = p;
      }
    }
    PriceSource source = PriceSource.OVERRIDE;
    for (PriceSource s : PriceSource.values()) {
      if (s.jsonName().equals(text(o, "source"))) {
        source = s;
      }
    }
    Currency currency = Currency.getInstance(o.path("currency").asText());
    BigDecimal gpu = decimal(o, "gpu_time");
    switch (kind) {
      case GPU:
      case CUSTOM:
        return gpu == null ? null : PriceKey.gpuTime(kind, text(o, "provider"), text(o, "region"),
            o.path("resource").asText(), option, gpu, source, text(o, "catalog"), text(o, "version"), currency);
      case ON_PREM:
        BigDecimal energy = decimal(o, "energy");
        if (gpu == null || energy == null) {
          return null;
        }
        return PriceKey.onPrem(o.path("resource").asText(), gpu, energy, source, text(o, "catalog"),
            text(o, "version"), currency);
      default:
        return null;
    }
  }

  private static ObjectNode notice(InterruptionNotice n) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("provider", n.provider());
    o.put("action", n.action());
    o.put("noticed_at", n.noticedAt().toString());
    putText(o, "action_time", n.actionTime() == null ? null : n.actionTime().toString());
    return o;
  }

  private static InterruptionNotice notice(JsonNode o) {
    if (o == null || o.isNull()) {
      return null;
    }
    String at = text(o, "action_time");
    return new InterruptionNotice(o.path("provider").asText(), o.path("action").asText(),
        Instant.parse(o.path("noticed_at").asText()), at == null ? null : Instant.parse(at));
  }

  private static void putText(ObjectNode o, String field, String value) {
    if (value != null) {
      o.put(field, value);
    }
  }

  private static void putDecimal(ObjectNode o, String field, BigDecimal value) {
    if (value != null) {
      o.put(field, value.toString());
    }
  }

  private static String text(JsonNode o, String field) {
    JsonNode v = o.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static BigDecimal decimal(JsonNode o, String field) {
    String v = text(o, field);
    return v == null ? null : new BigDecimal(v);
  }

  private static byte[] bytes(ObjectNode o) {
    try {
      return MAPPER.writeValueAsBytes(o);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot encode a run record", e);
    }
  }
}

package dev.finops.otel;

import dev.finops.core.Tags;
import dev.finops.core.Usage;
import dev.finops.core.budget.BudgetException;
import dev.finops.core.budget.BudgetManager;
import dev.finops.core.budget.BudgetScope;
import dev.finops.core.budget.Estimate;
import dev.finops.core.budget.Reservation;
import dev.finops.core.pricing.PricedUsage;
import dev.finops.core.pricing.PricingException;
import io.opentelemetry.api.trace.Span;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One model call seen where its usage is known: in a client library (the Spring AI, LangChain4j and
 * OpenAI SDK integrations), from request to response. Integrations {@link FinOpsTelemetry#startCall
 * start} it before the request is sent and {@link #finish finish} it with the provider's native usage,
 * or {@link #fail} it. Every call is then recorded in the ledger whatever the trace sampling, once:
 *
 * <ul>
 *   <li><b>attribution</b>: the telemetry's default tags under the ambient {@link CostContext#withTags}
 *       tags of the starting thread (the Spring Boot starter sets them per request), under the tags
 *       given to {@code startCall};
 *   <li><b>budgets</b>: with a budget manager and a budget that applies, an upper bound (the budget
 *       estimator's {@link dev.finops.core.budget.CostEstimator#llmCall LLM call bound}: every token of
 *       the prompt's bound at the model's dearest input-side price, uncached input, cache read or cache
 *       write, plus the output bound at the dearer of the output and reasoning prices; or an unknown
 *       estimate when either bound is unknown) is reserved at start, where a refusal is thrown as a
 *       {@link BudgetException} before the request is sent; the reservation is settled to the exact
 *       cost at finish, and released on failure;
 *   <li><b>once</b>: a call with a response id that was already recorded (by another integration,
 *       {@link FinOpsTelemetry#record}, a {@link CostTracked} handler or the {@link CostSpanExporter},
 *       which all claim the same ids) is not recorded again and its reservation is released. An id is
 *       claimed only by the path that records the call (or, for a call that reports no usage, holds
 *       its reservation whole), never while pricing may still fail; a blank id is no id. Inside a
 *       {@link CostTracked} call nothing is reserved here: the usage is reported to the {@link
 *       CostContext} instead, and the tracked handler, which reserved, records, settles and tags its
 *       span, so the budgets are charged once;
 *   <li><b>span</b>: the cost and attribution attributes are written on the span that was current at
 *       start when it is a GenAI span (one carrying {@code gen_ai.operation.name}, such as the span of
 *       OpenTelemetry's OpenAI instrumentation around this call); the {@link CostSpanExporter} then
 *       leaves it as it is.
 * </ul>
 *
 * <p>A call finishes once: later {@code finish} or {@code fail} calls are ignored. Thread-safe; the
 * finish may come from another thread (async and streaming calls).
 */
public final class ModelCall {
  private final FinOpsTelemetry telemetry;
  private final String provider;
  private final String requestModel;
  private final String operation;
  private final Tags tags;
  private final long startMillis;
  private final Span span;
  private final CostContext tracked;
  private final Reservation reservation;
  private final AtomicBoolean done = new AtomicBoolean();
  /** The response id this call claimed, early ({@link #claimResponseId}) or at finish. */
  private volatile String claimedId;
  /** What finish recorded in the ledger (and on the budgets), once it has; read by its failure handling. */
  private PricedUsage spent;

  ModelCall(FinOpsTelemetry telemetry, String provider, String requestModel, String operation, Tags tags,
      long inputTokensBound, long maxOutputTokens) {
    this.telemetry = telemetry;
    this.provider = provider;
    this.requestModel = requestModel;
    this.operation = operation == null ? "chat" : operation;
    this.tags = tags;
    this.startMillis = telemetry.finOps().clock().wallTimeMillis();
    this.span = Span.current();
    CostContext ctx = CostContext.current();
    this.tracked = ctx.isActive() ? ctx : null;
    this.reservation = tracked == null ? reserve(inputTokensBound, maxOutputTokens) : null;
  }

  private Reservation reserve(long inputTokensBound, long maxOutputTokens) {
    BudgetManager budgets = telemetry.budgets();
    if (budgets == null) {
      return null;
    }
    BudgetScope scope = budgets.scope(tags);
    if (scope.isEmpty()) {
      return null;
    }
    return scope.reserve(estimate(budgets, inputTokensBound, maxOutputTokens));
  }

  private Estimate estimate(BudgetManager budgets, long inputTokensBound, long maxOutputTokens) {
    if (inputTokensBound < 0 || maxOutputTokens < 0) {
      return Estimate.unknown("the " + operation + " call of " + requestModel + " gives no "
          + (inputTokensBound < 0 ? "bound of its prompt's tokens" : "maximum output tokens"));
    }
    try {
      return budgets.estimator().llmCall(telemetry.bind(provider, requestModel), inputTokensBound, maxOutputTokens);
    } catch (PricingException unknown) {
      return Estimate.unknown(unknown.getMessage());
    }
  }

  /** The tags the call is recorded under. */
  public Tags tags() {
    return tags;
  }

  /** The provider as the catalog spells it, or {@code null}. */
  public String provider() {
    return provider;
  }

  /** The model the request named. */
  public String requestModel() {
    return requestModel;
  }

  /**
   * How long a THROTTLE budget asks the call to wait before it is sent (zero when none). Synchronous
   * integrations wait on the calling thread; asynchronous ones delay the request without blocking it.
   */
  public Duration throttleDelay() {
    return reservation == null ? Duration.ZERO : reservation.throttleDelay();
  }

  /**
   * Claims the response id now, for a call whose usage comes later (a stream whose last chunk is still
   * on its way): a path that sees the same id meanwhile (the {@link CostSpanExporter} exporting the
   * call's span) leaves it to this call. {@link #finish} with the same id then records it.
   *
   * If the call then cannot be priced, the claim is given up, so that another path may record it.
   *
   * @return false when another path recorded the id already (then {@link #finish} will not record);
   *     true for a blank id, which claims nothing
   */
  public boolean claimResponseId(String responseId) {
    Objects.requireNonNull(responseId, "responseId");
    String id = RecentIds.normalize(responseId);
    if (id == null) {
      return true;
    }
    if (telemetry.claimCall(id, startMillis)) {
      claimedId = id;
      return true;
    }
    return false;
  }

  /** True once the call was finished or failed. */
  public boolean isDone() {
    return done.get();
  }

  /**
   * Records the call's usage: priced as {@code responseModel} when the catalog knows it (a dated
   * snapshot such as {@code gpt-4o-2024-08-06}), else as the request's model, at the call's start time.
   *
   * @param responseId the provider's id of the response ({@code chatcmpl-...}, {@code msg_...}), the key
   *     that keeps the call from being counted twice; {@code null} (or blank) when the provider gives
   *     none. Claimed even when {@code usage} is {@code null}, so that no other path prices the call
   *     whose reservation was held whole
   * @param responseModel the model that answered, or {@code null}
   * @param usage the call's usage in canonical buckets (convert with {@link
   *     dev.finops.core.TokenConventions}); {@code null} when the response reported none (a stream
   *     without its usage chunk, say): then the call is counted as without usage and its reservation
   *     is settled at its full amount, never at zero
   * @return the priced usage recorded here; {@code null} when nothing was recorded by this call (no
   *     usage, already recorded, reported to a tracked call, or not priceable under the FAIL policy)
   */
  public PricedUsage finish(String responseId, String responseModel, Usage usage) {
    if (!done.compareAndSet(false, true)) {
      return null;
    }
    try {
      return account(RecentIds.normalize(responseId), responseModel, usage);
    } catch (RuntimeException e) {
      telemetry.accountingProblem("could not account for a " + operation + " call of " + requestModel, e);
      afterFailure();
      return null;
    }
  }

  /**
   * An accounting failure: a reservation still open is settled to what was recorded when the spend
   * reached the ledger, else released (with the claim, so another path may record the call); a settled
   * reservation is left as it is.
   */
  private void afterFailure() {
    PricedUsage recorded = spent;
    if (recorded == null && claimedId != null) {
      telemetry.releaseCall(claimedId);
    }
    if (reservation == null || !reservation.isOpen()) {
      return;
    }
    if (recorded == null) {
      reservation.close();
      return;
    }
    try {
      FinOpsTelemetry.settle(reservation, recorded);
    } catch (RuntimeException otherCurrency) {
      // settled to the reserved amount already
    }
  }

  private PricedUsage account(String id, String responseModel, Usage usage) {
    boolean ours = id != null && id.equals(claimedId);
    if (usage == null) {
      // Claimed all the same: the reservation is held whole, so no other path may price the call too.
      if (id != null && !ours && !claim(id, null)) {
        return duplicate();
      }
      telemetry.callWithoutUsage(operation, requestModel);
      if (reservation != null) {
        if (reservation.isCostKnown()) {
          reservation.settlePico(reservation.amountPico());
        } else {
          reservation.close();
        }
      }
      return null;
    }
    Object checked = id == null || ours ? null : telemetry.checkCall(id);
    if (id != null && !ours && checked == null) {
      return duplicate();
    }
    if (tracked != null) {
      if (id != null && !ours && !claim(id, checked)) {
        return duplicate();
      }
      tracked.addUsage(usage);
      if (responseModel != null) {
        tracked.responseModel(responseModel);
      }
      return null;
    }
    PricedUsage priced = telemetry.priceCall(provider, requestModel, responseModel, usage, startMillis);
    if (priced == null) {
      if (ours) {
        telemetry.releaseCall(id); // not recorded here: another path may price it
        claimedId = null;
      }
      telemetry.metrics().recordUnpriced(tags);
      if (reservation != null) {
        reservation.settlePico(reservation.isCostKnown() ? reservation.amountPico() : 0);
      }
      return null;
    }
    if (id != null && !ours && !claim(id, checked)) {
      return duplicate(); // another path recorded it while this one priced
    }
    telemetry.recordSpend(tags, priced, startMillis, reservation == null);
    spent = priced;
    if (reservation != null) {
      FinOpsTelemetry.settle(reservation, priced);
    }
    telemetry.recordCostMetrics(tags, priced);
    telemetry.recordTokens(operation, Providers.toSemconv(priced.provider()), requestModel, responseModel, usage);
    if (SdkSpans.isGenAiSpan(span)) {
      telemetry.writeOutcome(span, null, priced, tags);
    }
    return priced;
  }

  private boolean claim(String id, Object checked) {
    if (telemetry.claimCall(id, startMillis, checked)) {
      claimedId = id;
      return true;
    }
    return false;
  }

  /** Another path recorded the call: nothing is recorded here, the reservation is released. */
  private PricedUsage duplicate() {
    telemetry.duplicateCall(tracked);
    if (reservation != null) {
      reservation.close();
    }
    return null;
  }

  /** The call failed before it reported usage: its reservation is released and nothing is recorded. */
  public void fail(Throwable error) {
    Objects.requireNonNull(error, "error");
    if (done.compareAndSet(false, true) && reservation != null) {
      reservation.close();
    }
  }

  @Override
  public String toString() {
    return "ModelCall{" + operation + " " + requestModel + ", " + tags + (done.get() ? ", done" : "") + "}";
  }
}

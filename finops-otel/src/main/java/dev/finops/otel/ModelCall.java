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
 *   <li><b>budgets</b>: with a budget manager and a budget that applies, an upper bound (the prompt's
 *       bound at the uncached input price plus the output bound at the output price, or an unknown
 *       estimate) is reserved at start, where a refusal is thrown as a {@link BudgetException} before
 *       the request is sent; the reservation is settled to the exact cost at finish, and released on
 *       failure;
 *   <li><b>once</b>: a call with a response id that was already recorded (by another integration,
 *       {@link FinOpsTelemetry#record}, a {@link CostTracked} handler or the {@link CostSpanExporter},
 *       which all claim the same ids) is not recorded again and its reservation is released; inside a
 *       {@link CostTracked} call the usage is reported to the {@link CostContext} instead, and the
 *       tracked handler records, settles and tags its span;
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
  private volatile String claimedId;

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
    if (scope.budgets().isEmpty()) {
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
      return budgets.estimator().llmCall(provider, requestModel, inputTokensBound, maxOutputTokens);
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
   * @return false when another path recorded the id already (then {@link #finish} will not record)
   */
  public boolean claimResponseId(String responseId) {
    Objects.requireNonNull(responseId, "responseId");
    if (telemetry.claimCall(responseId)) {
      claimedId = responseId;
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
   *     that keeps the call from being counted twice; {@code null} when the provider gives none
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
      return account(responseId, responseModel, usage);
    } catch (RuntimeException e) {
      telemetry.accountingProblem("could not account for a " + operation + " call of " + requestModel, e);
      if (reservation != null) {
        reservation.close();
      }
      return null;
    }
  }

  private PricedUsage account(String responseId, String responseModel, Usage usage) {
    if (usage == null) {
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
    if (responseId != null && !responseId.equals(claimedId) && !telemetry.claimCall(responseId)) {
      telemetry.duplicateCall();
      if (reservation != null) {
        reservation.close();
      }
      return null;
    }
    if (tracked != null) {
      tracked.addUsage(usage);
      if (responseModel != null) {
        tracked.responseModel(responseModel);
      }
      return null;
    }
    PricedUsage priced = telemetry.priceCall(provider, requestModel, responseModel, usage, startMillis);
    if (priced == null) {
      telemetry.metrics().recordUnpriced(tags);
      if (reservation != null) {
        reservation.settlePico(reservation.isCostKnown() ? reservation.amountPico() : 0);
      }
      return null;
    }
    telemetry.account(tags, priced, startMillis, reservation == null);
    if (reservation != null) {
      try {
        reservation.settle(priced);
      } catch (RuntimeException otherCurrency) {
        reservation.settlePico(reservation.amountPico());
        throw otherCurrency;
      }
    }
    telemetry.recordTokens(operation, Providers.toSemconv(priced.provider()), requestModel, responseModel, usage);
    if (SdkSpans.isGenAiSpan(span)) {
      telemetry.writeOutcome(span, null, priced, tags);
    }
    return priced;
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

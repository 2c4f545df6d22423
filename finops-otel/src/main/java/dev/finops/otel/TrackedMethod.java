package dev.finops.otel;

import static dev.finops.otel.FinOpsAttributes.ERROR_TYPE;
import static dev.finops.otel.FinOpsAttributes.GEN_AI_OPERATION_NAME;
import static dev.finops.otel.FinOpsAttributes.GEN_AI_PROVIDER_NAME;
import static dev.finops.otel.FinOpsAttributes.GEN_AI_REQUEST_MODEL;
import static dev.finops.otel.FinOpsAttributes.GEN_AI_RESPONSE_MODEL;

import dev.finops.core.FinOps;
import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.Usage;
import dev.finops.core.budget.BudgetException;
import dev.finops.core.budget.BudgetManager;
import dev.finops.core.budget.BudgetScope;
import dev.finops.core.budget.Estimate;
import dev.finops.core.budget.Reservation;
import dev.finops.core.ledger.Account;
import dev.finops.core.pricing.BoundModel;
import dev.finops.core.pricing.PricedUsage;
import dev.finops.core.pricing.PricingException;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.lang.reflect.Method;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One {@link CostTracked} method, resolved once, whose calls are traced, budgeted, priced and recorded:
 * the engine behind {@link FinOpsTelemetry#wrap} (a {@link java.lang.reflect.Proxy} over an interface)
 * and behind interceptors of other frameworks (the Spring Boot starter's AOP advice on classes).
 *
 * <pre>{@code
 * TrackedMethod tracked = TrackedMethod.of(telemetry, method);      // once per method
 * Object result = tracked.invoke(args, invocation::proceed);        // per call
 * }</pre>
 *
 * <p>Methods returning a {@link CompletionStage} or {@link CompletableFuture} get a {@code
 * CompletableFuture} back at once: a THROTTLE delay postpones the call on {@link
 * CompletableFuture#delayedExecutor} instead of blocking the caller, and cancelling the returned
 * future cancels the call's own future (or, while the call waits for its delay, keeps it from
 * starting and releases its reservation). Synchronous methods wait out a THROTTLE delay on the
 * calling thread: that is what throttling a synchronous call means. Thread-safe.
 */
public final class TrackedMethod {
  private final FinOpsTelemetry telemetry;
  private final Tracked t;

  private TrackedMethod(FinOpsTelemetry telemetry, Tracked t) {
    this.telemetry = telemetry;
    this.t = t;
  }

  /**
   * The tracked form of {@code method}, which must carry {@link CostTracked}.
   *
   * @throws IllegalArgumentException without the annotation, or for tags that are not {@code key=value}
   * @throws dev.finops.core.pricing.UnknownModelException under the pricing's {@code FAIL} policy, for a
   *     model no catalog knows
   */
  public static TrackedMethod of(FinOpsTelemetry telemetry, Method method) {
    Objects.requireNonNull(telemetry, "telemetry");
    CostTracked a = method.getAnnotation(CostTracked.class);
    if (a == null) {
      throw new IllegalArgumentException(method + " is not annotated @CostTracked");
    }
    return new TrackedMethod(telemetry, new Tracked(telemetry.finOps(), method, a));
  }

  /** The method. */
  public Method method() {
    return t.method;
  }

  /** Runs the call: reserve, {@code proceed}, price, record, settle, tag the span. */
  public Object invoke(Object[] args, Invocation proceed) throws Throwable {
    return new Call(t, args == null ? new Object[0] : args, proceed).run();
  }

  /** The call itself: the target method, or the rest of an interceptor chain. */
  @FunctionalInterface
  public interface Invocation {
    Object proceed() throws Throwable;
  }

  /** What an annotated method needs on every call, resolved once. */
  private static final class Tracked {
    final Method method;
    final String model;
    final String provider; // catalog spelling, or null
    final String operation;
    final String spanName;
    final BoundModel bound;
    final Tags tags;
    final Account account;
    final Attributes startAttributes;
    final String semconvProvider;
    final long maxInputTokens;
    final long maxOutputTokens;
    final boolean async;

    Tracked(FinOps finops, Method m, CostTracked a) {
      this.method = m;
      this.model = a.model();
      this.provider = a.provider().isEmpty() ? null : a.provider();
      this.operation = a.operation();
      this.spanName = operation + " " + model;
      this.bound = finops.bind(provider, model);
      this.tags = parseTags(m, a.tags());
      this.account = finops.account(tags);
      this.semconvProvider = Providers.toSemconv(provider);
      var b = Attributes.builder().put(GEN_AI_OPERATION_NAME, operation).put(GEN_AI_REQUEST_MODEL, model);
      if (semconvProvider != null) {
        b.put(GEN_AI_PROVIDER_NAME, semconvProvider);
      }
      this.startAttributes = b.build();
      this.maxInputTokens = a.maxInputTokens();
      this.maxOutputTokens = a.maxOutputTokens();
      Class<?> r = m.getReturnType();
      this.async = r == CompletionStage.class || r == CompletableFuture.class;
    }

    private static Tags parseTags(Method m, String[] pairs) {
      Tags.Builder b = Tags.builder();
      for (String p : pairs) {
        int eq = p.indexOf('=');
        if (eq <= 0) {
          throw new IllegalArgumentException("@CostTracked on " + m.getDeclaringClass().getName() + "." + m.getName()
              + ": tag '" + p + "' is not a key=value pair");
        }
        try {
          b.put(p.substring(0, eq).trim(), p.substring(eq + 1).trim());
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("@CostTracked on " + m.getDeclaringClass().getName() + "." + m.getName()
              + ": " + e.getMessage(), e);
        }
      }
      return b.build();
    }
  }

  /** One call. */
  private final class Call {
    private final Tracked t;
    private final Object[] args;
    private final Invocation proceed;
    private final long startMillis;
    private final Tags tags;
    private Span span;
    private Reservation reservation;

    Call(Tracked t, Object[] args, Invocation proceed) {
      this.t = t;
      this.args = args;
      this.proceed = proceed;
      this.startMillis = telemetry.finOps().clock().wallTimeMillis();
      this.tags = FinOpsTelemetry.merge(t.tags, telemetry.currentTags());
    }

    Object run() throws Throwable {
      span = telemetry.tracer().spanBuilder(t.spanName).setSpanKind(SpanKind.CLIENT)
          .setAllAttributes(t.startAttributes).startSpan();
      Scope scope = span.getSpanContext().isValid() ? span.makeCurrent() : null;
      try {
        reserve();
        long delayNanos = reservation == null ? 0 : reservation.throttleDelay().toNanos();
        if (delayNanos > 0) {
          span.addEvent("finops.budget.throttled");
          if (t.async) {
            return later(delayNanos);
          }
          sleep(delayNanos);
        }
        return proceedNow();
      } finally {
        if (scope != null) {
          scope.close();
        }
      }
    }

    /** Calls the method on this thread; an async result is finished when it completes. */
    private Object proceedNow() throws Throwable {
      CostContext ctx = CostContext.push();
      Object result;
      try {
        result = proceed.proceed();
      } catch (Throwable failure) {
        finish(ctx, null, failure);
        throw failure;
      } finally {
        ctx.pop();
      }
      if (t.async && result != null) {
        return follow(ctx, (CompletionStage<?>) result);
      }
      finish(ctx, result, null);
      return result;
    }

    /** A future that completes as {@code inner} does, after finishing the call; cancelling it cancels inner. */
    private CompletableFuture<Object> follow(CostContext ctx, CompletionStage<?> inner) {
      CompletableFuture<Object> out = new CompletableFuture<>();
      inner.whenComplete((value, error) -> {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        finish(ctx, value, cause);
        if (cause != null) {
          out.completeExceptionally(cause);
        } else {
          out.complete(value);
        }
      });
      out.whenComplete((value, error) -> {
        if (out.isCancelled()) {
          inner.toCompletableFuture().cancel(true);
        }
      });
      return out;
    }

    /** The throttled async call: started after the delay, off the caller's thread. */
    private CompletableFuture<Object> later(long delayNanos) {
      CompletableFuture<Object> out = new CompletableFuture<>();
      AtomicBoolean started = new AtomicBoolean();
      Executor delayed = CompletableFuture.delayedExecutor(delayNanos, TimeUnit.NANOSECONDS);
      Context otel = Context.current();
      delayed.execute(otel.wrap(() -> {
        if (out.isDone() || !started.compareAndSet(false, true)) {
          return;
        }
        try {
          @SuppressWarnings("unchecked")
          CompletableFuture<Object> inner = (CompletableFuture<Object>) proceedNow();
          if (inner == null) {
            out.complete(null);
            return;
          }
          inner.whenComplete((v, e) -> {
            if (e != null) {
              out.completeExceptionally(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
            } else {
              out.complete(v);
            }
          });
          out.whenComplete((v, e) -> {
            if (out.isCancelled()) {
              inner.cancel(true);
            }
          });
        } catch (Throwable failure) {
          out.completeExceptionally(failure);
        }
      }));
      out.whenComplete((v, e) -> {
        if (out.isCancelled() && started.compareAndSet(false, true)) {
          // Cancelled while waiting: the call never starts.
          finish(null, null, new CancellationException("cancelled while throttled"));
        }
      });
      return out;
    }

    private void sleep(long delayNanos) throws InterruptedException {
      try {
        Thread.sleep(delayNanos / 1_000_000, (int) (delayNanos % 1_000_000));
      } catch (InterruptedException e) {
        reservation.close();
        failSpan(e);
        span.end();
        throw e;
      }
    }

    /**
     * Reserves on the budgets that apply; a refusal ({@link BudgetException}) ends the span as an error
     * and is rethrown before the method runs.
     */
    private void reserve() {
      BudgetManager budgets = telemetry.budgets();
      if (budgets == null) {
        return;
      }
      BudgetScope scope = budgets.scope(tags);
      if (scope.budgets().isEmpty()) {
        return;
      }
      try {
        reservation = scope.reserve(estimate(budgets));
      } catch (RuntimeException refused) { // a BudgetException; or a failing CallEstimator, another currency
        failSpan(refused);
        telemetry.writeOutcome(span, null, null, tags);
        span.end();
        throw refused;
      }
    }

    private Estimate estimate(BudgetManager budgets) {
      if (t.maxInputTokens >= 0 && t.maxOutputTokens >= 0) {
        return budgets.estimator().llmCall(t.bound, t.maxInputTokens, t.maxOutputTokens);
      }
      CallEstimator e = telemetry.callEstimator();
      if (e != null) {
        return e.estimate(t.method, args, t.bound, budgets.estimator());
      }
      return Estimate.unknown("@CostTracked " + t.method.getDeclaringClass().getSimpleName() + "."
          + t.method.getName() + " gives no maxInputTokens/maxOutputTokens and no CallEstimator is registered");
    }

    /**
     * Prices and records what the call consumed, settles the reservation, and ends the span. Never
     * throws: accounting problems are counted and logged once.
     */
    private void finish(CostContext ctx, Object result, Throwable failure) {
      try {
        account(ctx, result, failure);
      } catch (RuntimeException e) {
        telemetry.accountingProblem("could not account for a call of " + t.spanName, e);
        if (reservation != null) {
          reservation.close();
        }
      } finally {
        if (failure != null) {
          failSpan(failure);
        }
        span.end();
      }
    }

    private void account(CostContext ctx, Object result, Throwable failure) {
      Usage usage = ctx == null ? null : ctx.usage();
      String responseModel = ctx == null ? null : ctx.reportedResponseModel();
      if (usage == null && ctx != null && ctx.wasRecordedElsewhere()) {
        // The model call inside was recorded by another path (the exporter priced the client's span
        // first): its cost is on the ledger and the budgets already, and the duplicate counted.
        if (reservation != null) {
          reservation.close();
        }
        telemetry.writeOutcome(span, null, null, tags);
        return;
      }
      String responseId = null;
      Object checked = null;
      if (usage == null && failure == null && result != null) {
        UsageExtractor<Object> x = telemetry.extractors().forClass(result.getClass());
        if (x != null) {
          usage = x.usage(result);
          if (responseModel == null) {
            responseModel = x.responseModel(result);
          }
          responseId = usage == null ? null : RecentIds.normalize(x.responseId(result));
          checked = responseId == null ? null : telemetry.checkCall(responseId);
          if (responseId != null && checked == null) {
            released(usage);
            return;
          }
        }
      }
      if (responseModel != null) {
        span.setAttribute(GEN_AI_RESPONSE_MODEL, responseModel);
      }
      if (usage == null) {
        // The call ran but reported nothing: hold the budgets to the reservation, never to zero.
        if (reservation != null) {
          if (failure == null) {
            reservation.settlePico(reservation.amountPico());
          } else {
            reservation.close();
          }
        }
        telemetry.writeOutcome(span, null, null, tags);
        return;
      }
      PricedUsage priced = price(usage, responseModel, ctx == null ? null : ctx.reportedCost());
      if (priced == null) {
        telemetry.metrics().recordUnpriced(tags);
        if (reservation != null) {
          reservation.settlePico(reservation.amountPico());
        }
      } else {
        if (responseId != null && !telemetry.claimCall(responseId, startMillis, checked)) {
          released(usage); // another path recorded it while this one priced
          return;
        }
        Account account = tags == t.tags ? t.account : telemetry.finOps().account(tags);
        account.record(priced, startMillis);
        if (reservation != null) {
          FinOpsTelemetry.settle(reservation, priced);
        }
        telemetry.recordCostMetrics(tags, priced);
      }
      if (telemetry.tokenUsageMetric()) {
        telemetry.metrics().recordTokens(usage, t.operation, t.semconvProvider, t.model, responseModel);
      }
      telemetry.writeOutcome(span, usage, priced, tags);
    }

    /** The call was recorded by another path: counted there, so the reservation is released. */
    private void released(Usage usage) {
      telemetry.duplicateCall(null);
      if (reservation != null) {
        reservation.close();
      }
      telemetry.writeOutcome(span, usage, null, tags);
    }

    /** The priced usage, or {@code null} when pricing failed (the pricing's FAIL policy). */
    private PricedUsage price(Usage usage, String responseModel, Money reportedCost) {
      if (reportedCost != null) {
        try {
          return telemetry.finOps().pricing().priceReported(t.provider, responseModel != null ? responseModel : t.model,
              usage, reportedCost);
        } catch (PricingException e) {
          telemetry.accountingProblem("could not price a call of " + t.spanName, e);
          return null;
        }
      }
      if (responseModel == null || responseModel.equals(t.model)) {
        try {
          return t.bound.price(usage, startMillis);
        } catch (PricingException e) {
          telemetry.accountingProblem("could not price a call of " + t.spanName, e);
          return null;
        }
      }
      return telemetry.priceCall(t.provider, t.model, responseModel, usage, startMillis);
    }

    private void failSpan(Throwable failure) {
      span.recordException(failure);
      span.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
      span.setAttribute(ERROR_TYPE, failure.getClass().getName());
    }
  }
}

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
import io.opentelemetry.context.Scope;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/** The {@link java.lang.reflect.Proxy} behind {@link FinOpsTelemetry#wrap}: one {@link Call} per tracked call. */
final class TrackedHandler implements InvocationHandler {
  private static final Object[] NO_ARGS = new Object[0];

  private final FinOpsTelemetry telemetry;
  private final Object target;
  private final Map<Method, Tracked> tracked = new HashMap<>();

  TrackedHandler(FinOpsTelemetry telemetry, Class<?> type, Object target) {
    this.telemetry = telemetry;
    this.target = target;
    for (Method m : type.getMethods()) {
      CostTracked a = m.getAnnotation(CostTracked.class);
      if (a != null) {
        tracked.put(m, new Tracked(telemetry.finOps(), m, a));
      }
    }
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    Tracked t = tracked.get(method);
    if (t != null) {
      return new Call(t, args == null ? NO_ARGS : args).run();
    }
    if (method.getDeclaringClass() == Object.class) {
      switch (method.getName()) {
        case "equals":
          return proxy == args[0];
        case "hashCode":
          return System.identityHashCode(proxy);
        case "toString":
          return "CostTracked(" + target + ")";
        default:
          break;
      }
    }
    return invokeTarget(method, args);
  }

  private Object invokeTarget(Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
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
    final Attributes[] tokenAttributes;
    final long maxInputTokens;
    final long maxOutputTokens;
    final boolean async;

    Tracked(FinOps finops, Method m, CostTracked a) {
      this.method = m;
      m.trySetAccessible(); // a non-public interface, say; public ones need nothing
      this.model = a.model();
      this.provider = a.provider().isEmpty() ? null : a.provider();
      this.operation = a.operation();
      this.spanName = operation + " " + model;
      this.bound = finops.bind(provider, model);
      this.tags = parseTags(m, a.tags());
      this.account = finops.account(tags);
      String semconvProvider = Providers.toSemconv(provider);
      var b = Attributes.builder().put(GEN_AI_OPERATION_NAME, operation).put(GEN_AI_REQUEST_MODEL, model);
      if (semconvProvider != null) {
        b.put(GEN_AI_PROVIDER_NAME, semconvProvider);
      }
      this.startAttributes = b.build();
      this.tokenAttributes = FinOpsTelemetry.tokenAttributes(operation, semconvProvider, model, null);
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

  /** One call through the wrapper. */
  private final class Call {
    private final Tracked t;
    private final Object[] args;
    private final long startMillis;
    private final Tags tags;
    private Span span;
    private Reservation reservation;

    Call(Tracked t, Object[] args) {
      this.t = t;
      this.args = args;
      this.startMillis = telemetry.finOps().clock().wallTimeMillis();
      Tags ambient = telemetry.currentTags();
      this.tags = ambient.isEmpty() ? t.tags : t.tags.with(ambient);
    }

    Object run() throws Throwable {
      span = telemetry.tracer().spanBuilder(t.spanName).setSpanKind(SpanKind.CLIENT)
          .setAllAttributes(t.startAttributes).startSpan();
      Scope scope = span.getSpanContext().isValid() ? span.makeCurrent() : null;
      try {
        reserve();
        CostContext ctx = CostContext.push();
        Object result;
        try {
          result = t.method.invoke(target, args);
        } catch (InvocationTargetException | IllegalAccessException e) {
          Throwable failure = e instanceof InvocationTargetException ? e.getCause() : e;
          finish(ctx, null, failure);
          throw failure;
        } finally {
          ctx.pop();
        }
        if (t.async && result != null) {
          return ((CompletionStage<?>) result).whenComplete((value, error) -> finish(ctx, value,
              error instanceof CompletionException && error.getCause() != null ? error.getCause() : error));
        }
        finish(ctx, result, null);
        return result;
      } finally {
        if (scope != null) {
          scope.close();
        }
      }
    }

    /**
     * Reserves on the budgets that apply; a refusal ({@link BudgetException}) ends the span as an error
     * and is rethrown before the method runs.
     */
    private void reserve() throws InterruptedException {
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
      long delayNanos = reservation.throttleDelay().toNanos();
      if (delayNanos > 0) {
        span.addEvent("finops.budget.throttled");
        try {
          Thread.sleep(delayNanos / 1_000_000, (int) (delayNanos % 1_000_000));
        } catch (InterruptedException e) {
          reservation.close();
          failSpan(e);
          span.end();
          throw e;
        }
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
      Usage usage = ctx.usage();
      String responseModel = ctx.reportedResponseModel();
      if (usage == null && failure == null && result != null) {
        UsageExtractor<Object> x = telemetry.extractors().forClass(result.getClass());
        if (x != null) {
          usage = x.usage(result);
          if (responseModel == null) {
            responseModel = x.responseModel(result);
          }
          String responseId = usage == null ? null : x.responseId(result);
          if (responseId != null && !telemetry.claimCall(responseId)) {
            // Recorded already (the exporter priced the client's span first): count it once, there.
            telemetry.duplicateCall();
            if (reservation != null) {
              reservation.close();
            }
            telemetry.writeOutcome(span, usage, null, tags);
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
      PricedUsage priced = price(usage, responseModel, ctx.reportedCost());
      if (priced == null) {
        telemetry.metrics().recordUnpriced(tags);
        if (reservation != null) {
          reservation.settlePico(reservation.amountPico());
        }
      } else {
        Account account = tags == t.tags ? t.account : telemetry.finOps().account(tags);
        account.record(priced, startMillis);
        if (priced.isPriced()) {
          telemetry.metrics().recordCost(tags, priced);
        } else {
          telemetry.metrics().recordUnpriced(tags);
        }
        if (reservation != null) {
          settle(priced);
        }
      }
      if (telemetry.tokenUsageMetric()) {
        String provider = Providers.toSemconv(t.provider);
        Attributes[] a = responseModel == null ? t.tokenAttributes
            : FinOpsTelemetry.tokenAttributes(t.operation, provider, t.model, responseModel);
        telemetry.metrics().recordTokens(usage, a, t.operation, provider, t.model, responseModel);
      }
      telemetry.writeOutcome(span, usage, priced, tags);
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

    private void settle(PricedUsage priced) {
      try {
        reservation.settle(priced);
      } catch (RuntimeException otherCurrency) {
        reservation.settlePico(reservation.amountPico());
        throw otherCurrency;
      }
    }

    private void failSpan(Throwable failure) {
      span.recordException(failure);
      span.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
      span.setAttribute(ERROR_TYPE, failure.getClass().getName());
    }
  }
}

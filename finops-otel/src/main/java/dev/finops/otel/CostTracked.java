package dev.finops.otel;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method as one model call whose cost is tracked. Nothing happens until the handler is wrapped:
 * with {@link FinOpsTelemetry#wrap(Class, Object)} (an interface's {@link java.lang.reflect.Proxy}, no
 * agent, no framework), by a framework interceptor through {@link TrackedMethod}, or, in a Spring Boot
 * application with the finops starter, on any bean (class or interface) through Spring AOP. Each call
 * through the wrapper then
 *
 * <ol>
 *   <li>starts a span {@code "{operation} {model}"} (kind CLIENT) with the GenAI request attributes;
 *   <li>when a budget of the {@link FinOpsTelemetry.Builder#budgets budget manager} applies to the
 *       call's tags, reserves an upper bound of its cost ({@link #maxInputTokens()} and {@link
 *       #maxOutputTokens()}, or the registered {@link CallEstimator}); a refusal throws the {@link
 *       dev.finops.core.budget.BudgetException} before the method runs, records it on the span, and
 *       leaves no spend;
 *   <li>runs the method, then takes its usage from {@link CostContext#addUsage} calls made inside
 *       it or, if there were none, from the return value through a registered {@link UsageExtractor};
 *   <li>prices the usage, records it in the ledger, settles the reservation, writes usage, cost and
 *       attribution on the span, updates the metrics and ends the span.
 * </ol>
 *
 * <p>Methods returning a {@link java.util.concurrent.CompletionStage} are finished when the stage
 * completes. {@code wrap} reads the annotation from the interface method; the Spring starter reads the
 * bean class's method first, then the interface's.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface CostTracked {

  /** The model as the catalog knows it, or a name that resolves to it ({@code gpt-4o-2024-08-06}). */
  String model();

  /** The provider as the catalog spells it ({@code openai}); empty to resolve by model name alone. */
  String provider() default "";

  /**
   * Attribution as {@code "key=value"} pairs ({@code {"team=nlp", "project=search"}}), merged under
   * the ambient tags of {@link CostContext#withTags}; keys are {@link dev.finops.core.Tags} keys.
   */
  String[] tags() default {};

  /** The GenAI operation ({@code gen_ai.operation.name}). */
  String operation() default "chat";

  /** An upper bound of the prompt's tokens, for the budget reservation; -1 (unset) by default. */
  long maxInputTokens() default -1;

  /** An upper bound of the completion's tokens ({@code max_tokens}), for the reservation; -1 by default. */
  long maxOutputTokens() default -1;
}

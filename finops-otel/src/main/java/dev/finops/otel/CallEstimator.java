package dev.finops.otel;

import dev.finops.core.budget.CostEstimator;
import dev.finops.core.budget.Estimate;
import dev.finops.core.pricing.BoundModel;
import java.lang.reflect.Method;

/**
 * The upper bound to reserve on the budgets before a {@link CostTracked} call runs, computed from the
 * call's arguments (the prompt's token count, the request's {@code max_tokens}). Used for methods
 * whose annotation gives no {@link CostTracked#maxInputTokens()} and {@link
 * CostTracked#maxOutputTokens()}. Implementations must be thread-safe; return {@link
 * Estimate#unknown(String)} when no bound is known (each budget's unknown-cost policy then decides).
 *
 * <pre>{@code
 * .callEstimator((method, args, model, estimator) -> {
 *   ChatRequest req = (ChatRequest) args[0];
 *   return estimator.llmCall(model, req.promptTokens(), req.maxTokens());
 * })
 * }</pre>
 */
@FunctionalInterface
public interface CallEstimator {

  /**
   * @param method the interface method called
   * @param args its arguments (an empty array for none)
   * @param model the annotation's model, bound once
   * @param estimator the budget manager's estimator
   */
  Estimate estimate(Method method, Object[] args, BoundModel model, CostEstimator estimator);
}

package dev.finops.otel;

import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.Usage;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;
import java.util.Objects;

/**
 * The {@link CostTracked} call in progress on this thread, so the code inside it can report what the
 * call consumed; and ambient attribution for the tracked calls made inside a scope.
 *
 * <pre>{@code
 * public Reply ask(String question) {                  // a @CostTracked method
 *   Response r = client.send(question);
 *   CostContext.current()
 *       .addUsage(TokenConventions.fromInclusive(r.inputTokens(), r.outputTokens(), r.cachedTokens(), 0, 0))
 *       .responseModel(r.model());
 *   return new Reply(r.text());
 * }
 *
 * try (Scope s = CostContext.withTags(Tags.builder().run("run-42").build())) {
 *   assistant.ask("...");                              // attributed to run-42 as well
 * }
 * }</pre>
 *
 * <p>Outside a tracked call {@link #current()} answers an inactive context that ignores every report,
 * so library code can report unconditionally. A context is thread-safe: code that finishes the call on
 * another thread (a {@code CompletionStage}) may keep the object and report from there before the
 * stage completes.
 */
public final class CostContext {
  private static final ThreadLocal<CostContext> CURRENT = new ThreadLocal<>();
  private static final ContextKey<Tags> TAGS = ContextKey.named("finops-tags");
  private static final CostContext INACTIVE = new CostContext(null);

  private final CostContext previous;
  private Usage usage;
  private String responseModel;
  private Money reportedCost;
  private boolean recordedElsewhere;

  private CostContext(CostContext previous) {
    this.previous = previous;
  }

  /** The innermost tracked call on this thread, or an inactive context. */
  public static CostContext current() {
    CostContext c = CURRENT.get();
    return c != null ? c : INACTIVE;
  }

  /** True inside a tracked call. */
  public boolean isActive() {
    return this != INACTIVE;
  }

  /** Adds usage of the call (called once per model response, say); ignored when inactive. */
  public CostContext addUsage(Usage more) {
    Objects.requireNonNull(more, "usage");
    if (this != INACTIVE) {
      synchronized (this) {
        usage = usage == null ? more : usage.plus(more);
      }
    }
    return this;
  }

  /** The model that answered ({@code gen_ai.response.model}); it is priced instead of the annotation's. */
  public CostContext responseModel(String model) {
    Objects.requireNonNull(model, "model");
    if (this != INACTIVE) {
      synchronized (this) {
        responseModel = model;
      }
    }
    return this;
  }

  /**
   * A cost the provider reported for the call; it is used as given instead of the catalog's price
   * (source {@code caller}). Usage should still be reported, for the token metrics and the ledger.
   */
  public CostContext reportCost(Money cost) {
    Objects.requireNonNull(cost, "cost");
    if (this != INACTIVE) {
      synchronized (this) {
        reportedCost = cost;
      }
    }
    return this;
  }

  synchronized Usage usage() {
    return usage;
  }

  synchronized String reportedResponseModel() {
    return responseModel;
  }

  synchronized Money reportedCost() {
    return reportedCost;
  }

  /**
   * A model call made inside this tracked call had already been recorded by another path (the same
   * response id): its cost is in the ledger and on the budgets already. Ignored when inactive.
   */
  void recordedElsewhere() {
    if (this != INACTIVE) {
      synchronized (this) {
        recordedElsewhere = true;
      }
    }
  }

  /** True when {@link #recordedElsewhere()} was reported. */
  synchronized boolean wasRecordedElsewhere() {
    return recordedElsewhere;
  }

  /** Makes a new context current on this thread; {@link #pop()} restores the previous one. */
  static CostContext push() {
    CostContext c = new CostContext(CURRENT.get());
    CURRENT.set(c);
    return c;
  }

  /** Restores the previous context (null keeps the thread's entry, cheaper than removing it each call). */
  void pop() {
    CURRENT.set(previous);
  }

  /**
   * Attributes the tracked calls made in the returned scope (on this thread, and wherever the
   * OpenTelemetry context is propagated) to {@code tags} as well, over the annotation's tags; nested
   * scopes add to the outer ones. Close the scope in the same thread.
   */
  public static Scope withTags(Tags tags) {
    Objects.requireNonNull(tags, "tags");
    Context ctx = Context.current();
    Tags outer = ctx.get(TAGS);
    return ctx.with(TAGS, outer == null ? tags : outer.with(tags)).makeCurrent();
  }

  /** The ambient tags of {@link #withTags}, or {@link Tags#EMPTY}. */
  public static Tags currentTags() {
    return tagsOf(Context.current());
  }

  /** The ambient tags of {@link #withTags} carried by {@code context}, or {@link Tags#EMPTY}. */
  public static Tags tagsOf(Context context) {
    Tags t = context.get(TAGS);
    return t == null ? Tags.EMPTY : t;
  }

  @Override
  public String toString() {
    return isActive() ? "CostContext{" + usage() + "}" : "CostContext{inactive}";
  }
}

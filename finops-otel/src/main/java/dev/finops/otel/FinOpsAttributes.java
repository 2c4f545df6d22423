package dev.finops.otel;

import io.opentelemetry.api.common.AttributeKey;

/**
 * The attribute keys finops-otel reads and writes: the OpenTelemetry GenAI semantic conventions it
 * follows, the proposed GenAI cost attributes (semantic-conventions-genai PR #443, not released), and
 * finops' own cost and attribution attributes. Span attributes never carry prompts, completions or
 * any other content.
 */
public final class FinOpsAttributes {
  private FinOpsAttributes() {}

  // ---- GenAI semantic conventions ----------------------------------------------------------------

  /** {@code chat}, {@code text_completion}, {@code generate_content}, {@code embeddings}, ... */
  public static final AttributeKey<String> GEN_AI_OPERATION_NAME = AttributeKey.stringKey("gen_ai.operation.name");
  /** The provider in the conventions' spelling ({@code openai}, {@code anthropic}, {@code gcp.gemini}). */
  public static final AttributeKey<String> GEN_AI_PROVIDER_NAME = AttributeKey.stringKey("gen_ai.provider.name");
  /** Deprecated since semantic conventions 1.37 in favour of {@link #GEN_AI_PROVIDER_NAME}; read only. */
  public static final AttributeKey<String> GEN_AI_SYSTEM = AttributeKey.stringKey("gen_ai.system");
  public static final AttributeKey<String> GEN_AI_REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
  /** The model that answered (and is billed), e.g. {@code gpt-4o-2024-08-06}. */
  public static final AttributeKey<String> GEN_AI_RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
  /** All prompt tokens, cache reads and writes included (the conventions' inclusive count). */
  public static final AttributeKey<Long> GEN_AI_USAGE_INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
  /** All completion tokens, reasoning included. */
  public static final AttributeKey<Long> GEN_AI_USAGE_OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
  /** The part of the input tokens read from the provider's cache. */
  public static final AttributeKey<Long> GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS =
      AttributeKey.longKey("gen_ai.usage.cache_read.input_tokens");
  /** The part of the input tokens written to the provider's cache. */
  public static final AttributeKey<Long> GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS =
      AttributeKey.longKey("gen_ai.usage.cache_creation.input_tokens");
  /** The part of the output tokens spent reasoning. */
  public static final AttributeKey<Long> GEN_AI_USAGE_REASONING_OUTPUT_TOKENS =
      AttributeKey.longKey("gen_ai.usage.reasoning.output_tokens");
  /** Deprecated name of {@link #GEN_AI_USAGE_INPUT_TOKENS}; read only. */
  public static final AttributeKey<Long> GEN_AI_USAGE_PROMPT_TOKENS = AttributeKey.longKey("gen_ai.usage.prompt_tokens");
  /** Deprecated name of {@link #GEN_AI_USAGE_OUTPUT_TOKENS}; read only. */
  public static final AttributeKey<Long> GEN_AI_USAGE_COMPLETION_TOKENS =
      AttributeKey.longKey("gen_ai.usage.completion_tokens");
  /** Metric attribute of {@code gen_ai.client.token.usage}: {@code input} or {@code output}. */
  public static final AttributeKey<String> GEN_AI_TOKEN_TYPE = AttributeKey.stringKey("gen_ai.token.type");
  /** The service tier OpenAI billed ({@code default}, {@code flex}, {@code priority}); read only. */
  public static final AttributeKey<String> OPENAI_RESPONSE_SERVICE_TIER =
      AttributeKey.stringKey("openai.response.service_tier");
  /** The class of the exception that failed the call, on error spans. */
  public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  // ---- proposed GenAI cost attributes (opt-in: CostAttributes.GEN_AI or BOTH) ---------------------

  /** The cost as a double in units of the currency (the proposal's type; rounded once, from the exact amount). */
  public static final AttributeKey<Double> GEN_AI_USAGE_COST_AMOUNT = AttributeKey.doubleKey("gen_ai.usage.cost.amount");
  /** ISO 4217 code. */
  public static final AttributeKey<String> GEN_AI_USAGE_COST_CURRENCY =
      AttributeKey.stringKey("gen_ai.usage.cost.currency");
  /** {@code provider} (a cost the provider reported) or {@code local} (priced from a catalog). */
  public static final AttributeKey<String> GEN_AI_USAGE_COST_SOURCE = AttributeKey.stringKey("gen_ai.usage.cost.source");

  // ---- finops cost (default: CostAttributes.FINOPS) ----------------------------------------------

  /** The exact cost as a plain decimal string in units of the currency ({@code "0.0042"}), never rounded. */
  public static final AttributeKey<String> FINOPS_COST_AMOUNT = AttributeKey.stringKey("finops.cost.amount");
  /** ISO 4217 code. */
  public static final AttributeKey<String> FINOPS_COST_CURRENCY = AttributeKey.stringKey("finops.cost.currency");
  /**
   * Where the price came from: {@code bundled_catalog}, {@code user_catalog}, {@code override}, {@code
   * caller} (a cost reported by the provider or the caller), {@code fallback}, or {@code unpriced}
   * (then no amount is set).
   */
  public static final AttributeKey<String> FINOPS_COST_SOURCE = AttributeKey.stringKey("finops.cost.source");

  // ---- attribution (spans) ------------------------------------------------------------------------

  /**
   * {@code true} on a span priced by the {@link CostSpanExporter} although it reported no cache counts:
   * its cost takes every input token at the uncached price, so it may be high.
   */
  public static final AttributeKey<Boolean> FINOPS_COST_CACHE_UNKNOWN = AttributeKey.booleanKey("finops.cost.cache_unknown");

  /** The provider's id of the response ({@code chatcmpl-...}). */
  public static final AttributeKey<String> GEN_AI_RESPONSE_ID = AttributeKey.stringKey("gen_ai.response.id");

  public static final AttributeKey<String> FINOPS_TEAM = AttributeKey.stringKey("finops.team");
  public static final AttributeKey<String> FINOPS_PROJECT = AttributeKey.stringKey("finops.project");
  public static final AttributeKey<String> FINOPS_EXPERIMENT = AttributeKey.stringKey("finops.experiment");
  public static final AttributeKey<String> FINOPS_RUN = AttributeKey.stringKey("finops.run");

  // ---- metric attributes (bounded: never run or request ids) -------------------------------------

  /** The priced model's catalog id ({@code gpt-4o}), or the GPU instance type. */
  public static final AttributeKey<String> FINOPS_MODEL = AttributeKey.stringKey("finops.model");
  /** What was priced: {@code model}, {@code gpu}, {@code on_prem}, {@code custom}, {@code caller_supplied}. */
  public static final AttributeKey<String> FINOPS_KIND = AttributeKey.stringKey("finops.kind");
  /** ISO 4217 code of a cost metric's values. */
  public static final AttributeKey<String> FINOPS_CURRENCY = AttributeKey.stringKey("finops.currency");
  /** A budget's scope ({@code team=nlp}). */
  public static final AttributeKey<String> FINOPS_BUDGET_SCOPE = AttributeKey.stringKey("finops.budget.scope");
  /** A budget window ({@code lifetime}, {@code daily(Europe/Paris)}, {@code rolling(PT24H)}). */
  public static final AttributeKey<String> FINOPS_BUDGET_WINDOW = AttributeKey.stringKey("finops.budget.window");

  // ---- hardware semantic conventions (GPU gauges) ------------------------------------------------

  /** The GPU's UUID. */
  public static final AttributeKey<String> HW_ID = AttributeKey.stringKey("hw.id");
  /** Always {@code gpu} here. */
  public static final AttributeKey<String> HW_TYPE = AttributeKey.stringKey("hw.type");
}

/**
 * The exact cost of OpenAI Java SDK calls: {@link dev.finops.openai.FinOpsOpenAI} wraps an {@code
 * OpenAIClient} (or {@code OpenAIClientAsync}) and records each chat completion, response and
 * embeddings call in finops from the SDK's own usage.
 */
package dev.finops.openai;

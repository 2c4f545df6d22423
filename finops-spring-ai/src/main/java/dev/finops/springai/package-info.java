/**
 * finops on Spring AI: observation handlers that record every chat-model call at its exact cost from the
 * provider's native usage and reserve on budgets before it, and a ChatClient advisor for streamed usage.
 */
package dev.finops.springai;

package dev.finops.otel;

import static dev.finops.otel.FinOpsAttributes.GEN_AI_OPERATION_NAME;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.trace.ReadableSpan;

/**
 * What the span API does not say about a span, read from the SDK's {@link ReadableSpan} when the SDK
 * (an optional dependency) is there; without it, nothing is a GenAI span.
 */
final class SdkSpans {
  private static final boolean SDK = present("io.opentelemetry.sdk.trace.ReadableSpan");

  private SdkSpans() {}

  /**
   * True for a recording span whose {@code gen_ai.operation.name} is an inference operation ({@link
   * GenAiSpan#isInference}): a model call's own span, never an agent's or a tool's around it.
   */
  static boolean isGenAiSpan(Span span) {
    return SDK && span.isRecording() && Reader.isGenAi(span);
  }

  private static boolean present(String className) {
    try {
      Class.forName(className, false, SdkSpans.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** Loaded only when the SDK is present. */
  private static final class Reader {
    static boolean isGenAi(Span span) {
      if (!(span instanceof ReadableSpan)) {
        return false;
      }
      String operation = ((ReadableSpan) span).getAttribute(GEN_AI_OPERATION_NAME);
      return operation != null && GenAiSpan.isInference(operation);
    }
  }
}

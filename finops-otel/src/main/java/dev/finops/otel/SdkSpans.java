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

  /** True for a recording span that carries {@code gen_ai.operation.name}: a model call's own span. */
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
      return span instanceof ReadableSpan && ((ReadableSpan) span).getAttribute(GEN_AI_OPERATION_NAME) != null;
    }
  }
}

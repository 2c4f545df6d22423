package dev.finops.otel;

import dev.finops.core.Tags;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;

/**
 * Writes the ambient {@link CostContext#withTags} attribution of the starting context ({@code
 * finops.team}, {@code finops.project}, {@code finops.experiment}, {@code finops.run}) on every span
 * started inside it, so that the {@link CostSpanExporter}, which prices spans later on its own thread,
 * records their cost under the same tags, and the team's budgets see it. Spans started outside any
 * {@code withTags} scope are left alone. <b>Needs the OpenTelemetry SDK.</b>
 *
 * <pre>{@code
 * SdkTracerProvider.builder()
 *     .addSpanProcessor(new CostTagsSpanProcessor())
 *     .addSpanProcessor(BatchSpanProcessor.builder(CostSpanExporter.wrap(otlpExporter, telemetry)).build())
 * }</pre>
 */
public final class CostTagsSpanProcessor implements SpanProcessor {

  @Override
  public void onStart(Context parentContext, ReadWriteSpan span) {
    Tags tags = CostContext.tagsOf(parentContext);
    if (!tags.isEmpty()) {
      SpanAttributes.attribution(span::setAttribute, tags);
    }
  }

  @Override
  public boolean isStartRequired() {
    return true;
  }

  @Override
  public void onEnd(ReadableSpan span) {}

  @Override
  public boolean isEndRequired() {
    return false;
  }

  @Override
  public CompletableResultCode shutdown() {
    return CompletableResultCode.ofSuccess();
  }
}

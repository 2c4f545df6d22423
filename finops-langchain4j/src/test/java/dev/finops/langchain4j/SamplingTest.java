package dev.finops.langchain4j;

import static dev.finops.langchain4j.Models.OPENAI_COST;
import static dev.finops.langchain4j.Models.assertRecorded;
import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.core.FinOps;
import dev.finops.fake.FakeModelServer;
import dev.finops.otel.FinOpsTelemetry;
import dev.langchain4j.model.chat.ChatModel;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every call is recorded whatever the trace sampling: the listener reads usage, not spans. */
@SuppressWarnings("try") // scopes opened for their effect
class SamplingTest {
  private static final int CALLS = 50;

  private static FakeModelServer server;

  @BeforeAll
  static void startServer() throws IOException {
    server = FakeModelServer.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Test
  void allCallsAreRecordedUnderTenPercentSampling() {
    int exported = runInParentSpans(Sampler.traceIdRatioBased(0.1));
    assertThat(exported).isLessThan(CALLS); // most parents were dropped (all 50 sampled: p = 1e-50)
  }

  @Test
  void allCallsAreRecordedUnderAlwaysOn() {
    assertThat(runInParentSpans(Sampler.alwaysOn())).isEqualTo(CALLS);
  }

  /** Makes {@value #CALLS} calls, each in its own parent span; checks the ledger; returns the spans exported. */
  private static int runInParentSpans(Sampler sampler) {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    SdkTracerProvider tracerProvider = SdkTracerProvider.builder().setSampler(sampler)
        .addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
    try (OpenTelemetrySdk otel = OpenTelemetrySdk.builder().setTracerProvider(tracerProvider).build()) {
      FinOps finops = FinOps.builder().build();
      FinOpsTelemetry telemetry = FinOpsTelemetry.builder(finops).openTelemetry(otel).build();
      ChatModel model = Models.openAi(server, new FinOpsChatModelListener(telemetry));
      Tracer tracer = otel.getTracer("test");
      for (int i = 0; i < CALLS; i++) {
        Span parent = tracer.spanBuilder("handle request " + i).startSpan();
        try (Scope s = parent.makeCurrent()) {
          model.chat("question " + i);
        } finally {
          parent.end();
        }
      }
      assertRecorded(finops, CALLS, OPENAI_COST);
      return spans.getFinishedSpanItems().size();
    }
  }
}

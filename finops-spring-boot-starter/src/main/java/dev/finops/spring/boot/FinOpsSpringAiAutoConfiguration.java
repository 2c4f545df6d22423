package dev.finops.spring.boot;

import dev.finops.core.Tags;
import dev.finops.otel.CostContext;
import dev.finops.otel.FinOpsTelemetry;
import dev.finops.springai.FinOpsObservationHandlers;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.ObservationView;
import io.opentelemetry.context.Scope;
import org.springframework.ai.chat.client.ChatClientCustomizer;
import org.springframework.ai.chat.observation.ChatModelObservationContext;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Every Spring AI chat-model call priced from the provider's native usage, whatever the trace
 * sampling, with budgets checked before the request is sent ({@link FinOpsObservationHandlers}).
 *
 * <p>Spring Boot registers its tracing and metrics handlers ahead of every other {@link
 * ObservationHandler} bean, so the budget gate is not a bean: a post-processor puts it on the {@link
 * ObservationRegistry} first, before Boot's configurer runs, so a refused call throws before any span
 * or timer is started. The recorder is a bean, after them, so it stops first and the cost it adds as
 * key values reaches the span. Every {@code ChatClient} Boot builds gets the stream-usage advisor,
 * which asks OpenAI for a stream's usage and keeps its cache counts (Spring AI's aggregation keeps
 * only the totals).
 */
@AutoConfiguration(after = FinOpsAutoConfiguration.class)
@ConditionalOnClass({FinOpsObservationHandlers.class, ChatModelObservationContext.class})
@ConditionalOnProperty(prefix = "finops", name = {"enabled", "spring-ai.enabled"}, matchIfMissing = true)
public class FinOpsSpringAiAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  public FinOpsObservationHandlers finOpsObservationHandlers(FinOpsTelemetry telemetry) {
    return FinOpsObservationHandlers.create(telemetry);
  }

  /** The recorder, registered by Boot with the other handler beans (after tracing and metrics). */
  @Bean
  public ObservationHandler<ChatModelObservationContext> finOpsChatModelRecorder(FinOpsObservationHandlers handlers) {
    return handlers.recorder();
  }

  @Bean
  public static BeanPostProcessor finOpsBudgetGateRegistrar(ObjectProvider<FinOpsObservationHandlers> handlers) {
    return new BudgetGateRegistrar(handlers);
  }

  /** The stream-usage advisor on every {@code ChatClient} Boot builds. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(ChatClientCustomizer.class)
  static class ChatClientConfiguration {
    @Bean
    ChatClientCustomizer finOpsChatClientCustomizer(FinOpsObservationHandlers handlers) {
      return builder -> builder.defaultAdvisors(handlers.streamUsageAdvisor());
    }
  }

  /**
   * Adds the budget gate to each {@link ObservationRegistry} before Boot's own post-processor (which
   * is not ordered, so runs after every ordered one) adds its handlers. The gate looks the handlers
   * bean up at its first observation, so the registry does not pull FinOps in while it is created.
   */
  static final class BudgetGateRegistrar implements BeanPostProcessor, Ordered {
    private final ObjectProvider<FinOpsObservationHandlers> handlers;

    BudgetGateRegistrar(ObjectProvider<FinOpsObservationHandlers> handlers) {
      this.handlers = handlers;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
      if (bean instanceof ObservationRegistry registry) {
        registry.observationConfig().observationHandler(new LazyGate(handlers));
      }
      return bean;
    }

    @Override
    public int getOrder() {
      return Ordered.HIGHEST_PRECEDENCE;
    }
  }

  /**
   * The budget gate of the handlers bean, resolved at the first chat observation; it starts the call
   * under the tags of the HTTP request the observation belongs to, when {@link RequestTagsFilter} left
   * them on the request's observation.
   */
  static final class LazyGate implements ObservationHandler<ChatModelObservationContext> {
    private final ObjectProvider<FinOpsObservationHandlers> handlers;
    private volatile ObservationHandler<ChatModelObservationContext> gate;

    LazyGate(ObjectProvider<FinOpsObservationHandlers> handlers) {
      this.handlers = handlers;
    }

    @Override
    public void onStart(ChatModelObservationContext context) {
      ObservationHandler<ChatModelObservationContext> g = gate;
      if (g == null) {
        FinOpsObservationHandlers h = handlers.getIfAvailable();
        if (h == null) {
          return;
        }
        gate = g = h.budgetGate();
      }
      Tags request = requestTags(context);
      if (request == null) {
        g.onStart(context);
        return;
      }
      try (Scope scope = CostContext.withTags(request)) {
        g.onStart(context);
      }
    }

    /** The tags {@link RequestTagsFilter} left on an enclosing HTTP request's observation, or {@code null}. */
    private static Tags requestTags(Observation.ContextView context) {
      for (ObservationView p = context.getParentObservation(); p != null; p = p.getContextView().getParentObservation()) {
        Object tags = p.getContextView().get(ObservationTags.KEY);
        if (tags instanceof Tags t) {
          return t;
        }
      }
      return null;
    }

    @Override
    public boolean supportsContext(Observation.Context context) {
      return context instanceof ChatModelObservationContext;
    }
  }
}

package dev.finops.spring.boot;

import dev.finops.otel.CostSpanExporter;
import dev.finops.otel.CostTagsSpanProcessor;
import dev.finops.otel.FinOpsTelemetry;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.List;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.actuate.autoconfigure.tracing.SpanExporters;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * finops on the application's OpenTelemetry tracing (Spring Boot's {@code OpenTelemetryTracingAutoConfiguration}):
 *
 * <ul>
 *   <li>Boot's span exporters (its OTLP exporter, and every {@link SpanExporter} bean of the
 *       application) are exported through <b>one</b> {@link CostSpanExporter} around all of them, so
 *       a GenAI span that no integration recorded is priced once and each exporter receives each span
 *       once, with its cost attributes. The exporter looks the telemetry up at its first export, once
 *       the telemetry bean exists: FinOpsTelemetry depends on the OpenTelemetry whose tracer provider
 *       holds the exporters, so a constructor dependency would be a cycle.
 *   <li>That exporter also adds the span costs of the telemetry's own calls ({@code @CostTracked} beans,
 *       {@code tagSpan}, {@code record}) at export ({@link CostSpanExporter.Builder#spanCostsAtExport}):
 *       from its first export on, the request thread leaves them in a bounded table instead of writing
 *       them on the spans one attribute (and one span lock) at a time; span processors therefore do not
 *       see them, the exported spans do.
 *   <li>{@link CostTagsSpanProcessor}: spans started inside a request's tags carry them, so spend
 *       priced from spans reaches the same budgets as spend recorded by the integrations.
 * </ul>
 */
@AutoConfiguration(after = FinOpsAutoConfiguration.class)
@ConditionalOnClass({SpanExporter.class, SpanExporters.class, CostSpanExporter.class})
@ConditionalOnProperty(prefix = "finops", name = "enabled", matchIfMissing = true)
public class FinOpsTracingAutoConfiguration {

  @Bean
  public static BeanPostProcessor finOpsSpanExportersPostProcessor() {
    return new SpanExportersPostProcessor();
  }

  @Bean
  @ConditionalOnMissingBean
  public CostTagsSpanProcessor finOpsCostTagsSpanProcessor() {
    return new CostTagsSpanProcessor();
  }

  /** Replaces Boot's {@link SpanExporters} by one {@link CostSpanExporter} around all of them. */
  static final class SpanExportersPostProcessor implements BeanPostProcessor, BeanFactoryAware {
    private ListableBeanFactory beanFactory;
    private volatile String telemetryBean;

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
      this.beanFactory = (ListableBeanFactory) beanFactory;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
      if (!(bean instanceof SpanExporters)) {
        return bean;
      }
      List<SpanExporter> exporters = ((SpanExporters) bean).list();
      if (exporters.isEmpty() || exporters.stream().anyMatch(CostSpanExporter.class::isInstance)) {
        return bean;
      }
      SpanExporter all = exporters.size() == 1 ? exporters.get(0) : SpanExporter.composite(exporters);
      return SpanExporters.of(CostSpanExporter.builder(all, this::telemetry).spanCostsAtExport(true).build());
    }

    /**
     * The telemetry once its singleton exists, else {@code null} (the exporter then passes spans
     * through unpriced): never creates it from the export thread while the context starts.
     */
    private FinOpsTelemetry telemetry() {
      String name = telemetryBean;
      if (name == null) {
        String[] names = beanFactory.getBeanNamesForType(FinOpsTelemetry.class, false, false);
        if (names.length != 1) {
          return null;
        }
        telemetryBean = name = names[0];
      }
      if (beanFactory instanceof org.springframework.beans.factory.config.SingletonBeanRegistry registry
          && !registry.containsSingleton(name)) {
        return null;
      }
      return beanFactory.getBean(name, FinOpsTelemetry.class);
    }
  }
}

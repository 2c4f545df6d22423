package dev.finops.spring.boot;

import jakarta.servlet.Filter;
import java.util.Map;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The {@link RequestTagsFilter}s of a servlet application: header tags first of all filters, ahead of
 * Spring Boot's HTTP observation filter ({@code Ordered.HIGHEST_PRECEDENCE + 1}), so the request's
 * span context carries them; the principal's tag after Spring Security's filter chain (order -100).
 */
@AutoConfiguration(after = FinOpsAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({Filter.class, OncePerRequestFilter.class})
@ConditionalOnProperty(prefix = "finops", name = "enabled", matchIfMissing = true)
public class FinOpsWebAutoConfiguration {
  /** After Spring Security's default filter order (-100). */
  static final int PRINCIPAL_ORDER = -90;

  @Bean
  public FilterRegistrationBean<RequestTagsFilter> finOpsRequestHeaderTagsFilter(FinOpsProperties properties) {
    Map<String, String> headers = properties.getRequestTags().getHeaders();
    FilterRegistrationBean<RequestTagsFilter> r = new FilterRegistrationBean<>(new RequestTagsFilter(headers, null));
    r.setOrder(Ordered.HIGHEST_PRECEDENCE);
    r.setName("finOpsRequestHeaderTagsFilter");
    r.setEnabled(!headers.isEmpty());
    return r;
  }

  @Bean
  public FilterRegistrationBean<RequestTagsFilter> finOpsRequestPrincipalTagsFilter(FinOpsProperties properties) {
    String tag = properties.getRequestTags().getPrincipal();
    FilterRegistrationBean<RequestTagsFilter> r = new FilterRegistrationBean<>(new RequestTagsFilter(Map.of(), tag));
    r.setOrder(PRINCIPAL_ORDER);
    r.setName("finOpsRequestPrincipalTagsFilter");
    r.setEnabled(tag != null);
    return r;
  }
}

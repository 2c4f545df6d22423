package dev.finops.spring.boot;

import dev.finops.core.FinOps;
import dev.finops.core.budget.BudgetManager;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/** The {@code finops} actuator endpoint, when exposed ({@code management.endpoints.web.exposure.include=finops}). */
@AutoConfiguration(after = FinOpsAutoConfiguration.class)
@ConditionalOnClass({Endpoint.class, ConditionalOnAvailableEndpoint.class})
@ConditionalOnProperty(prefix = "finops", name = "enabled", matchIfMissing = true)
public class FinOpsEndpointAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnAvailableEndpoint
  public FinOpsEndpoint finOpsEndpoint(FinOps finops, ObjectProvider<BudgetManager> budgets) {
    return new FinOpsEndpoint(finops, budgets.getIfUnique());
  }
}

package dev.finops.budget.redis.boot;

import dev.finops.budget.redis.RedisBudgetStore;
import dev.finops.core.budget.BudgetStore;
import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisCredentialsProvider;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.data.redis.RedisProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * A shared {@link BudgetStore} on Redis when {@code finops.budget-store=redis}: the starter's budget
 * manager uses it (it takes any {@code BudgetStore} bean). Connects with Boot's Redis properties ({@code
 * spring.data.redis.url}, or {@code host}, {@code port}, {@code username}, {@code password}, {@code
 * database}, {@code ssl.enabled}, and {@code timeout} as the command timeout); the store's own settings
 * are {@code finops.redis-store.*} ({@link RedisStoreProperties}).
 */
@AutoConfiguration(beforeName = "dev.finops.spring.boot.FinOpsAutoConfiguration")
@ConditionalOnClass(RedisBudgetStore.class)
@ConditionalOnProperty(prefix = "finops", name = "budget-store", havingValue = "redis")
@EnableConfigurationProperties({RedisProperties.class, RedisStoreProperties.class})
public class RedisBudgetStoreAutoConfiguration {

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean(BudgetStore.class)
  public RedisBudgetStore finOpsRedisBudgetStore(RedisProperties redis, RedisStoreProperties store) {
    RedisBudgetStore.Builder b = RedisBudgetStore.builder(uri(redis))
        .tag(store.getTag())
        .ownerTtl(store.getOwnerTtl())
        .reservationTtl(store.getReservationTtl())
        .orphanPolicy(store.getOrphanPolicy())
        .failOpen(store.getFailOpen().toArray(new String[0]));
    if (store.getLeaseFraction() != null) {
      b.leases(store.getLeaseFraction(), store.getLeaseScopes().toArray(new String[0]))
          .leaseFlushInterval(store.getLeaseFlushInterval())
          .leaseIdle(store.getLeaseIdle());
    }
    Duration timeout = store.getCommandTimeout() != null ? store.getCommandTimeout() : redis.getTimeout();
    if (timeout != null) {
      b.commandTimeout(timeout);
    }
    return b.build();
  }

  static RedisURI uri(RedisProperties p) {
    RedisURI uri = p.getUrl() != null && !p.getUrl().isBlank() ? RedisURI.create(p.getUrl())
        : RedisURI.builder().withHost(p.getHost()).withPort(p.getPort()).build();
    if (p.getUrl() == null || p.getUrl().isBlank()) {
      if (p.getPassword() != null) {
        String user = p.getUsername();
        String password = p.getPassword();
        uri.setCredentialsProvider(RedisCredentialsProvider.from(() -> RedisCredentials.just(user, password)));
      }
      uri.setDatabase(p.getDatabase());
      uri.setSsl(p.getSsl().isEnabled());
    }
    if (p.getClientName() != null) {
      uri.setClientName(p.getClientName());
    }
    return uri;
  }
}

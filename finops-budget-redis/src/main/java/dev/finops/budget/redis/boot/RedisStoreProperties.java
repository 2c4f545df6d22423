package dev.finops.budget.redis.boot;

import dev.finops.budget.redis.RedisBudgetStore;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code finops.redis-store.*}: the Redis budget store's settings (see {@link RedisBudgetStore.Builder}). */
@ConfigurationProperties(prefix = "finops.redis-store")
public class RedisStoreProperties {
  /** Hash tag of every key; processes with the same tag share budgets. */
  private String tag = RedisBudgetStore.DEFAULT_TAG;
  /** Budget scopes ("team=nlp") that admit work while Redis is unreachable; the others refuse it. */
  private List<String> failOpen = new ArrayList<>();
  /** How long a process that stops renewing its liveness keeps its reservations. */
  private Duration ownerTtl = Duration.ofSeconds(15);
  /** Backstop deadline of a reservation, after which any process charges it in full. */
  private Duration reservationTtl = Duration.ofHours(1);
  /** Per-command timeout; spring.data.redis.timeout when unset, else 500 ms. */
  private Duration commandTimeout;
  /** What happens to a dead process's open reservations: CHARGE (full amount) or RELEASE. */
  private RedisBudgetStore.OrphanPolicy orphanPolicy = RedisBudgetStore.OrphanPolicy.CHARGE;
  /** Leases: the fraction of a budget's limit a process takes and serves locally, in (0, 1]; unset: none. */
  private BigDecimal leaseFraction;
  /** Budget scopes ("team=nlp") that are leased; empty: every calendar or lifetime budget. */
  private List<String> leaseScopes = new ArrayList<>();
  /** How often a lease's settled spend is sent to Redis. */
  private Duration leaseFlushInterval = Duration.ofMillis(100);
  /** How long a lease with nothing open stays unused before it is returned. */
  private Duration leaseIdle = Duration.ofSeconds(1);

  public String getTag() {
    return tag;
  }

  public void setTag(String tag) {
    this.tag = tag;
  }

  public List<String> getFailOpen() {
    return failOpen;
  }

  public void setFailOpen(List<String> failOpen) {
    this.failOpen = failOpen;
  }

  public Duration getOwnerTtl() {
    return ownerTtl;
  }

  public void setOwnerTtl(Duration ownerTtl) {
    this.ownerTtl = ownerTtl;
  }

  public Duration getReservationTtl() {
    return reservationTtl;
  }

  public void setReservationTtl(Duration reservationTtl) {
    this.reservationTtl = reservationTtl;
  }

  public Duration getCommandTimeout() {
    return commandTimeout;
  }

  public void setCommandTimeout(Duration commandTimeout) {
    this.commandTimeout = commandTimeout;
  }

  public RedisBudgetStore.OrphanPolicy getOrphanPolicy() {
    return orphanPolicy;
  }

  public void setOrphanPolicy(RedisBudgetStore.OrphanPolicy orphanPolicy) {
    this.orphanPolicy = orphanPolicy;
  }

  public BigDecimal getLeaseFraction() {
    return leaseFraction;
  }

  public void setLeaseFraction(BigDecimal leaseFraction) {
    this.leaseFraction = leaseFraction;
  }

  public List<String> getLeaseScopes() {
    return leaseScopes;
  }

  public void setLeaseScopes(List<String> leaseScopes) {
    this.leaseScopes = leaseScopes;
  }

  public Duration getLeaseFlushInterval() {
    return leaseFlushInterval;
  }

  public void setLeaseFlushInterval(Duration leaseFlushInterval) {
    this.leaseFlushInterval = leaseFlushInterval;
  }

  public Duration getLeaseIdle() {
    return leaseIdle;
  }

  public void setLeaseIdle(Duration leaseIdle) {
    this.leaseIdle = leaseIdle;
  }
}

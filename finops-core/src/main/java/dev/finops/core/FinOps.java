package dev.finops.core;

import dev.finops.core.ledger.Account;
import dev.finops.core.ledger.Ledger;
import dev.finops.core.ledger.LedgerSnapshot;
import dev.finops.core.pricing.BoundModel;
import dev.finops.core.pricing.PricedUsage;
import dev.finops.core.pricing.Pricing;
import dev.finops.core.training.TrainingRun;
import java.util.Objects;

/**
 * The entry point: one clock, one pricing engine and one ledger, shared by every integration
 * (training loops, inference handlers, the OpenTelemetry module). Thread-safe.
 *
 * <pre>{@code
 * FinOps finops = FinOps.builder().build();             // bundled catalog, Clock.shared()
 * Account nlp = finops.account(Tags.builder().team("nlp").build());
 * BoundModel gpt = finops.bind("openai", "gpt-4o");     // resolve once
 * nlp.record(gpt, TokenConventions.fromInclusive(1200, 300, 1000, 0, 0)); // hot path: no allocation
 * finops.snapshot().totalsBy("team");
 * }</pre>
 */
public final class FinOps {
  private final Clock clock;
  private final Pricing pricing;
  private final Ledger ledger;

  private FinOps(Builder b) {
    this.clock = b.clock != null ? b.clock : b.ledger != null ? b.ledger.clock() : Clock.shared();
    this.pricing = b.pricing != null ? b.pricing : Pricing.bundled();
    this.ledger = b.ledger != null ? b.ledger : Ledger.builder().clock(clock).maxAccounts(b.maxAccounts).build();
    if (ledger.clock() != clock) {
      throw new IllegalArgumentException("the ledger must use the same clock as FinOps");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public Clock clock() {
    return clock;
  }

  public Pricing pricing() {
    return pricing;
  }

  public Ledger ledger() {
    return ledger;
  }

  /** The bound account of a tag set (see {@link Ledger#account}). */
  public Account account(Tags tags) {
    return ledger.account(tags);
  }

  /** A model resolved once for the hot path (see {@link Pricing#bind}). */
  public BoundModel bind(String provider, String model) {
    return pricing.bind(provider, model);
  }

  /** Prices usage of a model now (the clock's time). */
  public PricedUsage price(String provider, String model, Usage usage) {
    return pricing.price(provider, model, usage, clock.wallTimeMillis());
  }

  /** Prices usage now and records it for {@code tags}; returns the priced usage. */
  public PricedUsage record(Tags tags, String provider, String model, Usage usage) {
    long now = clock.wallTimeMillis();
    PricedUsage p = pricing.price(provider, model, usage, now);
    ledger.account(tags).record(p, now);
    return p;
  }

  /** Starts configuring a training run on this pricing and ledger. */
  public TrainingRun.Builder trainingRun(String runId) {
    return TrainingRun.builder(pricing, ledger).runId(runId);
  }

  public LedgerSnapshot snapshot() {
    return ledger.snapshot();
  }

  /** Configures {@link FinOps}. */
  public static final class Builder {
    private Clock clock; // null: Clock.shared(), started at build()
    private Pricing pricing;
    private Ledger ledger;
    private int maxAccounts = 10_000;

    private Builder() {}

    /** The clock (default: the ledger's, given one, else {@link Clock#shared()}). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The pricing engine (default: the bundled catalog, failing on unknown models). */
    public Builder pricing(Pricing pricing) {
      this.pricing = Objects.requireNonNull(pricing, "pricing");
      return this;
    }

    /** A ledger built elsewhere; it must use this builder's clock. */
    public Builder ledger(Ledger ledger) {
      this.ledger = Objects.requireNonNull(ledger, "ledger");
      return this;
    }

    /** Cardinality cap of the default ledger. */
    public Builder maxAccounts(int maxAccounts) {
      this.maxAccounts = maxAccounts;
      return this;
    }

    public FinOps build() {
      return new FinOps(this);
    }
  }
}

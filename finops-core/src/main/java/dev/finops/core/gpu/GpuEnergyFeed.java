package dev.finops.core.gpu;

import dev.finops.core.UsageBucket;
import dev.finops.core.ledger.Account;
import dev.finops.core.pricing.PriceKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Records the energy the selected GPUs consumed as {@link UsageBucket#ENERGY} (millijoules) under a
 * price key with an energy price, typically an on-prem row's ({@code pricing.onPremKey(id, now)}),
 * so owned GPUs carry an energy-cost line next to their amortized hardware cost.
 *
 * <pre>{@code
 * PriceKey dgx = finops.pricing().onPremKey("onprem-dgx-h100", clock.wallTimeMillis());
 * GpuEnergyFeed.attach(sampler, finops.account(tags), dgx, GpuSelection.all());
 * }</pre>
 *
 * <p>Each round records, at the round's time, the energy counters' growth since the previous round
 * of each selected GPU ({@link GpuSample#energyDeltaMillijoules}, so a counter that restarted
 * counts from its restart); the first round of a GPU only sets its baseline. With a per-process
 * selection, each GPU's energy is multiplied by the process's share of it, and the sub-millijoule
 * remainder is carried to the next round, so nothing is lost to rounding over time. Thread-safe.
 */
public final class GpuEnergyFeed implements GpuSampleSource.Listener, AutoCloseable {

  private final GpuSampleSource source;
  private final Account account;
  private final PriceKey key;
  private final GpuSelection selection;
  private final Map<String, GpuSample> previous = new HashMap<>();
  private final Map<String, Long> carry = new HashMap<>(); // Σ delta × share not yet recorded, in mJ × bp
  private long recorded;

  private GpuEnergyFeed(GpuSampleSource source, Account account, PriceKey key, GpuSelection selection) {
    this.source = Objects.requireNonNull(source, "source");
    this.account = Objects.requireNonNull(account, "account");
    this.key = Objects.requireNonNull(key, "key");
    this.selection = Objects.requireNonNull(selection, "selection");
    if (key.rates() == null || !key.rates().isDeclared(UsageBucket.ENERGY)) {
      throw new IllegalArgumentException("price key " + key + " has no energy price; use Pricing.onPremKey(...) "
          + "or a custom key that prices energy per kWh");
    }
  }

  /**
   * Starts recording the energy of {@code selection}'s GPUs into {@code account} under {@code key}.
   *
   * @throws IllegalArgumentException if {@code key} does not price energy
   */
  public static GpuEnergyFeed attach(GpuSampleSource source, Account account, PriceKey key,
      GpuSelection selection) {
    GpuEnergyFeed feed = new GpuEnergyFeed(source, account, key, selection);
    source.addListener(feed);
    return feed;
  }

  @Override
  public synchronized void onSamples(List<GpuSample> round) {
    long millijoules = 0;
    for (GpuSample s : round) {
      if (!selection.includes(s) || s.isLost() || !s.has(GpuMetric.ENERGY)) {
        continue;
      }
      long delta = GpuSample.energyDeltaMillijoules(previous.put(s.uuid(), s), s);
      int share = selection.shareBasisPoints(s);
      if (delta == 0 || share == GpuSample.ABSENT) {
        continue;
      }
      long scaled = carry.getOrDefault(s.uuid(), 0L) + Math.multiplyExact(delta, (long) share);
      millijoules += scaled / 10_000;
      carry.put(s.uuid(), scaled % 10_000);
    }
    if (millijoules > 0) {
      recorded += millijoules;
      account.record(key, UsageBucket.ENERGY, millijoules, round.get(0).epochMillis());
    }
  }

  /** Millijoules recorded so far. */
  public synchronized long recordedMillijoules() {
    return recorded;
  }

  /** Stops recording. Idempotent. */
  @Override
  public void close() {
    source.removeListener(this);
  }

  @Override
  public String toString() {
    return "GpuEnergyFeed{" + account.tags() + ", " + key + ", " + selection + "}";
  }
}

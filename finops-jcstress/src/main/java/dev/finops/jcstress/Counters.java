package dev.finops.jcstress;

import dev.finops.core.budget.BudgetStore;
import dev.finops.core.budget.Window;

/** Counter fixtures. */
final class Counters {
  private Counters() {}

  /** A lifetime counter named {@code key} with {@code limit} pico-units. */
  static BudgetStore.Counter lifetime(BudgetStore store, String key, long limit) {
    return store.counter(new BudgetStore.CounterSpec(key + "/lifetime", limit, Window.lifetime(), Long.MIN_VALUE,
        Long.MAX_VALUE));
  }
}

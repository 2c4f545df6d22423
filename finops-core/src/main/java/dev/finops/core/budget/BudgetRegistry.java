package dev.finops.core.budget;

import dev.finops.core.Clock;
import dev.finops.core.Tags;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The registered budgets of a {@link BudgetManager}: one map per tag key from the tag's value to the
 * budget's state, and the budgets in registration order. Adding and removing take this object's lock
 * and change the stamp, so bound scopes re-resolve; resolving takes no lock.
 */
final class BudgetRegistry {
  private static final Tags.Key[] KEYS = Tags.Key.values();

  private final BudgetStore store;
  private final Clock clock;
  private final java.util.Currency currency;
  private final List<ConcurrentHashMap<String, BudgetState>> byKey = new ArrayList<>();
  private volatile int keyMask;
  private volatile long stamp;
  /** The registered budgets in registration order (replaced whole under the lock). */
  private volatile List<Budget> inOrder = List.of();

  BudgetRegistry(BudgetStore store, Clock clock, java.util.Currency currency) {
    this.store = store;
    this.clock = clock;
    this.currency = currency;
    for (int i = 0; i < KEYS.length; i++) {
      byKey.add(new ConcurrentHashMap<>());
    }
  }

  /** See {@link BudgetManager#add}. */
  synchronized void add(Budget budget) {
    Objects.requireNonNull(budget, "budget");
    if (!budget.currency().equals(currency)) {
      throw new IllegalArgumentException("limit: budget " + budget.scope() + " is in " + budget.currency()
          + " but this manager counts in " + currency);
    }
    ConcurrentHashMap<String, BudgetState> m = byKey.get(budget.scopeKey().ordinal());
    if (m.containsKey(budget.scopeValue())) {
      throw new IllegalArgumentException("scope: a budget for " + budget.scope()
          + " is already registered; give one budget several windows instead");
    }
    m.put(budget.scopeValue(), new BudgetState(budget, store, clock.wallTimeMillis()));
    List<Budget> registered = new ArrayList<>(inOrder);
    registered.add(budget);
    inOrder = List.copyOf(registered);
    keyMask |= 1 << budget.scopeKey().ordinal();
    stamp++;
  }

  /** See {@link BudgetManager#remove}. */
  synchronized boolean remove(Budget budget) {
    BudgetState removed = byKey.get(budget.scopeKey().ordinal()).remove(budget.scopeValue());
    if (removed != null) {
      List<Budget> registered = new ArrayList<>(inOrder);
      registered.remove(removed.budget);
      inOrder = List.copyOf(registered);
    }
    stamp++;
    return removed != null;
  }

  /** The registered budgets, by tag key then registration. */
  List<Budget> budgets() {
    List<Budget> out = new ArrayList<>(inOrder);
    out.sort(Comparator.comparingInt(b -> b.scopeKey().ordinal())); // stable: registration order within a key
    return Collections.unmodifiableList(out);
  }

  /** Changes whenever a budget is added or removed. */
  long stamp() {
    return stamp;
  }

  /** The state of the budget registered for {@code budget}'s scope, or {@code null}. */
  BudgetState find(Budget budget) {
    return byKey.get(budget.scopeKey().ordinal()).get(budget.scopeValue());
  }

  /** Every registered budget's state, by tag key. */
  List<BudgetState> states() {
    List<BudgetState> out = new ArrayList<>();
    for (ConcurrentHashMap<String, BudgetState> m : byKey) {
      out.addAll(m.values());
    }
    return out;
  }

  /** The budgets that apply to {@code tags} at {@code nowMillis}, by tag key. */
  Chain resolve(Tags tags, long nowMillis) {
    long s = stamp;
    int mask = keyMask;
    List<BudgetState> list = new ArrayList<>(4);
    for (Tags.Key k : KEYS) {
      if ((mask & (1 << k.ordinal())) != 0) {
        String v = tags.get(k);
        BudgetState b = v == null ? null : byKey.get(k.ordinal()).get(v);
        if (b != null) {
          list.add(b);
        }
      }
    }
    return Chain.of(s, list, nowMillis);
  }
}

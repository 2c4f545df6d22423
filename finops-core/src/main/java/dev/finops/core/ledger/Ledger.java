package dev.finops.core.ledger;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.finops.core.Clock;
import dev.finops.core.Tags;
import dev.finops.core.pricing.PricedUsage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records usage quantities per (account, price key) with lock-free striped counters; cost is
 * derived exactly from the quantities when a {@link LedgerSnapshot} is taken, so a snapshot can also
 * be re-priced. Taking a snapshot never blocks recording. Thread-safe.
 *
 * <p>Cardinality is capped ({@link Builder#maxAccounts}, default 10,000): tag sets beyond the cap
 * record into one visible overflow account (tagged {@code team=__overflow__}), so totals are never
 * lost; the refused tag sets are counted ({@link #overflowCount()}) and the first is logged.
 *
 * <pre>{@code
 * Ledger ledger = Ledger.builder().build(); // Clock.shared()
 * Account nlp = ledger.account(Tags.builder().team("nlp").model("gpt-4o").build());
 * nlp.record(pricing.price("openai", "gpt-4o", usage, now));
 * LedgerSnapshot snap = ledger.snapshot();
 * snap.totalsBy("team");   // exact cost per team
 * }</pre>
 */
public final class Ledger {

  private static final Logger log = LoggerFactory.getLogger(Ledger.class);

  /** The tag value that marks the overflow account. */
  public static final String OVERFLOW_TAG = "__overflow__";

  /** {@link #overflowCount()} tells refused tag sets apart up to at least this many. */
  static final int MIN_OVERFLOW_TRACKED = 4_096;

  private final Clock clock;
  private final int maxAccounts;
  private final Retention retention;
  private final ConcurrentHashMap<Tags, Account> accounts = new ConcurrentHashMap<>();
  private final AtomicInteger accountCount = new AtomicInteger();
  private final Account overflowAccount;
  /** Tag sets refused an account, each once; at most {@link #overflowTracked} of them. */
  private final java.util.Set<Tags> overflowed = ConcurrentHashMap.newKeySet();
  private final int overflowTracked;
  private final AtomicBoolean overflowLogged = new AtomicBoolean();
  private final LongAdder rejected = new LongAdder();
  private final AtomicBoolean rejectLogged = new AtomicBoolean();
  private final Cache<Map<String, String>, Account> byMap;

  private Ledger(Builder b) {
    this.clock = b.clock != null ? b.clock : Clock.shared();
    this.maxAccounts = b.maxAccounts;
    this.overflowTracked = Math.max(b.maxAccounts, MIN_OVERFLOW_TRACKED);
    this.retention = b.retention;
    this.overflowAccount = new Account(this, Tags.builder().team(OVERFLOW_TAG).build(), true);
    this.byMap = Caffeine.newBuilder().maximumSize(b.maxAccounts).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Clock clock() {
    return clock;
  }

  public int maxAccounts() {
    return maxAccounts;
  }

  /**
   * The bound account for a tag set, created on first use. Beyond {@link #maxAccounts()} distinct tag
   * sets, new ones get the overflow account.
   */
  public Account account(Tags tags) {
    Objects.requireNonNull(tags, "tags");
    Account a = accounts.get(tags);
    if (a != null) {
      return a;
    }
    return create(tags);
  }

  private Account create(Tags tags) {
    while (true) {
      int n = accountCount.get();
      if (n >= maxAccounts) {
        Account existing = accounts.get(tags);
        if (existing != null) {
          return existing;
        }
        if (overflowed.size() < overflowTracked) {
          overflowed.add(tags);
        }
        if (overflowLogged.compareAndSet(false, true)) {
          log.warn("finops: more than {} distinct tag sets; further tag sets (first: {}) are recorded in the "
              + "overflow account team={}. Totals stay complete; raise Ledger.builder().maxAccounts() or drop "
              + "high-cardinality tags.", maxAccounts, tags, OVERFLOW_TAG);
        }
        return overflowAccount;
      }
      if (accountCount.compareAndSet(n, n + 1)) {
        Account fresh = new Account(this, tags, false);
        Account prev = accounts.putIfAbsent(tags, fresh);
        if (prev != null) {
          accountCount.decrementAndGet();
          return prev;
        }
        return fresh;
      }
    }
  }

  /**
   * The convenience path: tags as a map on every call, resolved through a bounded cache. Invalid tags
   * are counted and recorded untagged rather than thrown into the caller.
   */
  public void record(Map<String, String> tags, PricedUsage priced) {
    Account a = byMap.getIfPresent(tags);
    if (a == null) {
      // Not Map.copyOf: it throws on a null name or value, which must be rejected and counted instead.
      a = byMap.get(Collections.unmodifiableMap(new HashMap<>(tags)), this::accountForMap);
    }
    a.record(priced);
  }

  /** Records priced usage for a tag set at the clock's time. */
  public void record(Tags tags, PricedUsage priced) {
    account(tags).record(priced);
  }

  private Account accountForMap(Map<String, String> tags) {
    if (tags.containsKey(null) || tags.containsValue(null)) {
      rejected(null, "null tag name or value in " + tags);
      return account(Tags.EMPTY);
    }
    try {
      return account(Tags.of(tags));
    } catch (IllegalArgumentException e) {
      rejected(null, e.getMessage());
      return account(Tags.EMPTY);
    }
  }

  void rejected(Account account, String why) {
    rejected.increment();
    if (rejectLogged.compareAndSet(false, true)) {
      log.warn("finops: rejected a recording ({}{}); further rejections are counted, not logged", why,
          account == null ? "" : " for " + account.tags());
    }
  }

  /** The overflow account (tagged {@code team=__overflow__}). */
  public Account overflowAccount() {
    return overflowAccount;
  }

  /**
   * How many distinct tag sets were refused an account of their own (the table was full) and sent to
   * the overflow account; a tag set counts once however often it is used afterwards, on either
   * recording path. To keep memory bounded the refused tag sets are remembered up to {@code
   * max(maxAccounts, 4,096)} of them: past that many this is a lower bound that stops growing. What
   * the refused tag sets recorded is in the snapshot under {@code team=__overflow__}.
   */
  public long overflowCount() {
    return overflowed.size();
  }

  /** How many recordings were rejected (negative quantities, invalid tags). */
  public long rejectedCount() {
    return rejected.sum();
  }

  /** Distinct tag sets with their own account (the overflow account excluded). */
  public int accountCount() {
    return accounts.size();
  }

  /** Merges aged time slots into coarser ones per the retention; call it now and then (e.g. hourly). */
  public void compact() {
    long now = clock.wallTimeMillis();
    for (Account a : accounts.values()) {
      for (Row r : a.rows()) {
        r.compact(now, retention);
      }
    }
    for (Row r : overflowAccount.rows()) {
      r.compact(now, retention);
    }
  }

  /** A consistent-enough view of everything recorded so far; never blocks recording. */
  public LedgerSnapshot snapshot() {
    List<LedgerSnapshot.Entry> entries = new ArrayList<>();
    collect(accounts.values(), entries);
    collect(List.of(overflowAccount), entries);
    return new LedgerSnapshot(entries, clock.wallTimeMillis());
  }

  private static void collect(Collection<Account> accounts, List<LedgerSnapshot.Entry> out) {
    for (Account a : accounts) {
      for (Row r : a.rows()) {
        for (Row.Slot s = r.head(); s != null; s = s.older) {
          WideSums sum = s.counters.sum();
          if (sum.isZero()) {
            continue;
          }
          out.add(new LedgerSnapshot.Entry(a.tags(), r.key, s.start, s.end, sum, s.counters.supplied()));
        }
      }
    }
  }

  /** Configures a {@link Ledger}. */
  public static final class Builder {
    private Clock clock; // null: Clock.shared(), started at build()
    private int maxAccounts = 10_000;
    private Retention retention = Retention.defaults();

    private Builder() {}

    /** The clock records are stamped with (default: {@link Clock#shared()}). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Cap on distinct tag sets (default 10,000). */
    public Builder maxAccounts(int maxAccounts) {
      if (maxAccounts < 1) {
        throw new IllegalArgumentException("maxAccounts must be at least 1: " + maxAccounts);
      }
      this.maxAccounts = maxAccounts;
      return this;
    }

    public Builder retention(Retention retention) {
      this.retention = Objects.requireNonNull(retention, "retention");
      return this;
    }

    public Ledger build() {
      return new Ledger(this);
    }
  }
}

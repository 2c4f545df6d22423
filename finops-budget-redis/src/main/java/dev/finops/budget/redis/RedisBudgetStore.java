package dev.finops.budget.redis;

import dev.finops.budget.redis.Scripts.Script;
import dev.finops.core.budget.BudgetListener;
import dev.finops.core.budget.BudgetStore;
import dev.finops.core.budget.Window;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisLoadingException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link BudgetStore} on Redis, shared by every process of a fleet: N replicas spend one limit, not N.
 * Build one per process ({@link #builder(RedisURI)}), hand it to {@code BudgetManager.builder().store(..)},
 * and {@link #close()} it at shutdown.
 *
 * <p><b>Keys.</b> Every key starts with {@code finops:{<tag>}:} (tag {@value #DEFAULT_TAG} unless {@link
 * Builder#tag set}); the braces are a Redis Cluster hash tag, so all keys of a store live in one hash slot
 * and a script may touch any chain's counters. A cluster spreads load by giving each tenant its own tag
 * (and store). Under the prefix:
 *
 * <ul>
 *   <li>{@code c:<counter key>}: a hash per counter ({@code team=nlp/daily(Europe/Paris)/2026-12-05}):
 *       {@code used} (spend + open reservations) and {@code spent}; a rolling window also holds its
 *       sub-buckets {@code u<n>}/{@code s<n>} and {@code z}, the last sub-bucket dropped. A calendar period
 *       expires {@link Builder#periodGrace} after its end; a rolling window a little after its length of
 *       idleness; a lifetime counter never.
 *   <li>{@code r:<id>}: one hash per open reservation (amount, reserved-at, owner, its counters); {@code
 *       open}: their ids by deadline on Redis' clock ({@link Builder#reservationTtl}); {@code o:<owner>}: the
 *       ids of one owner (one store instance); {@code owners}: the owners by liveness deadline, renewed every
 *       {@link Builder#ownerTtl}/3.
 *   <li>{@code d:<op>}: marks an operation done (a spend recorded without reservation, a settlement made
 *       while Redis was unreachable), so a retry never counts it twice; {@code ev:..}: fleet events ({@link
 *       #fleetOnce}).
 * </ul>
 *
 * <p><b>Scripts.</b> {@link #tryReserve} is one Lua script: it checks {@code used <= limit − amount} on
 * every counter of the chain and only then adds the amount to each and writes the reservation record;
 * Redis runs a script whole, so no reservation of any process is ever admitted past a limit. Commit,
 * release, expiry and recording are a second script, which settles a reservation only if its record still
 * exists and deletes it: settling is idempotent by reservation id, across retries and processes.
 *
 * <p><b>Exact amounts, to 2<sup>63</sup> − 1.</b> Redis' Lua numbers are doubles, exact only below
 * 2<sup>53</sup> (about 9,007 currency units in pico-units: far too small). So the scripts never turn an
 * amount into a Lua number: limits minus amounts are computed here in {@code long} and compared with the
 * stored values as decimal strings, and sums are {@code HINCRBY}, Redis' exact 64-bit integer addition.
 * Increases saturate at {@link Long#MAX_VALUE} and decreases stop at zero, as in the in-memory store.
 *
 * <p><b>Reservations outlive their process.</b> Each is a key with its owner; an owner that stops
 * renewing its liveness (killed with {@code kill -9}, partitioned away) is dead after {@link
 * Builder#ownerTtl}, and any live store's sweeper (every {@code ownerTtl/3}) then ends its reservations:
 * {@link OrphanPolicy#CHARGE charged} to their full amount (default, the manager's TTL rule: the work
 * probably ran) or {@link OrphanPolicy#RELEASE released}. Bound: within {@code ownerTtl + ownerTtl/3} plus a
 * round trip of the kill.
 *
 * <p><b>Redis unreachable.</b> Every command has a bounded timeout ({@link Builder#commandTimeout}); while
 * disconnected, commands fail at once. A reservation whose chain has a {@link Builder#failOpen fail-open}
 * budget on every counter is admitted and counted locally; any other is refused (fail closed, the default;
 * the manager reports it as the limit of the first fail-closed budget being reached, and {@link
 * Stats#unavailableDenials()} counts it). Settlements, releases and records that cannot reach Redis are
 * queued and retried in order until they do; each is idempotent (by reservation id or operation id), so
 * a reply lost in a restart is never counted twice, and none is lost while the process lives. A
 * reservation admitted fail-open while Redis was away is counted once settled (as unreserved spend). A
 * reservation whose reply was lost is released by id (it may or may not have been made).
 *
 * <p><b>Consistency with the manager.</b> The manager does not hand the store its reservation ids; a
 * reservation's Redis id is found again from the chain, amount and reservation time it settles with (any
 * two reservations with the same three are interchangeable: settling either changes the counters the
 * same way). Windows and sub-buckets run on the manager's clock; deadlines and liveness on Redis' clock.
 *
 * <p><b>Leases</b> (opt-in, {@link Builder#leases}): a process reserves a slice of a chain's room in Redis
 * with one script (a record like a reservation's, so others see it as used and a sweeper ends it by the
 * orphan rule if the process dies) and serves reservations from it without a round trip; settled spend is
 * sent every {@link Builder#leaseFlushInterval} (moved from the lease into {@code spent} atomically, once by
 * sequence number), and the lease is returned when idle or at close. Local reservations only take the
 * lease's free room, so the fleet still never reserves past a limit (zero overshoot); a reservation may be
 * refused while other processes hold unused lease room. Budgets with rolling windows are not leased.
 */
public final class RedisBudgetStore implements BudgetStore, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RedisBudgetStore.class);

  public static final String DEFAULT_TAG = "finops";
  private static final String MAX = Long.toString(Long.MAX_VALUE);
  private static final int SWEEP_BATCH = 256;

  /** What a sweeper does with the open reservations of a dead owner. */
  public enum OrphanPolicy {
    /** Settles each to its full amount, like the manager's TTL expiry (the work probably ran). */
    CHARGE,
    /** Releases each: the budget gets its room back (the work is assumed lost with its process). */
    RELEASE
  }

  private final RedisClient client;
  private final ClientResources resources;
  private final boolean ownsClient;
  private final String prefix;
  private final String openKey;
  private final String ownersKey;
  private final String owner;
  private final String ownerSetKey;
  private final long ownerTtlMillis;
  private final long reservationTtlMillis;
  private final long periodGraceMillis;
  private final long markerTtlMillis;
  private final List<String> failOpenScopes;
  private final OrphanPolicy orphanPolicy;
  private final LongSupplier clock;
  private final BigDecimal leaseFraction;
  private final List<String> leaseScopes;
  private final long leaseIdleNanos;
  private final ConcurrentHashMap<String, Lease> leases = new ConcurrentHashMap<>();
  private final Set<Lease> heldLeases = ConcurrentHashMap.newKeySet();
  private volatile long lastBeatNanos = Long.MIN_VALUE;
  private final ScheduledExecutorService scheduler;
  private final AtomicLong seq = new AtomicLong();
  private final ConcurrentHashMap<PendingKey, ConcurrentLinkedDeque<Pending>> pending = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Op> retries = new ConcurrentLinkedQueue<>();
  private final ConcurrentHashMap<String, Reading> lastReadings = new ConcurrentHashMap<>();
  private final Set<String> loggedOnce = ConcurrentHashMap.newKeySet();
  private final Stats stats = new Stats();
  private volatile long downSinceMillis = -1;
  private final Set<String> failingOpen = ConcurrentHashMap.newKeySet();
  private final Set<String> failingClosed = ConcurrentHashMap.newKeySet();
  private final Object connectLock = new Object();
  private volatile StatefulRedisConnection<String, String> connection;
  private volatile long nextConnectMillis;
  private volatile boolean closed;

  private RedisBudgetStore(Builder b) {
    this.ownsClient = b.client == null;
    if (ownsClient) {
      this.resources = ClientResources.builder()
          .reconnectDelay(Delay.exponential(Duration.ofMillis(20), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
          .build();
      this.client = RedisClient.create(resources, b.uri);
    } else {
      this.resources = null;
      this.client = b.client;
    }
    client.setOptions(ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .socketOptions(SocketOptions.builder().connectTimeout(b.commandTimeout).build())
        .timeoutOptions(TimeoutOptions.enabled(b.commandTimeout))
        .build());
    this.prefix = "finops:{" + b.tag + "}:";
    this.openKey = prefix + "open";
    this.ownersKey = prefix + "owners";
    this.owner = UUID.randomUUID().toString();
    this.ownerSetKey = ownerSet(owner);
    this.ownerTtlMillis = b.ownerTtl.toMillis();
    this.reservationTtlMillis = b.reservationTtl.toMillis();
    this.periodGraceMillis = b.periodGrace.toMillis();
    this.markerTtlMillis = Math.max(b.reservationTtl.toMillis(), Duration.ofDays(1).toMillis());
    this.failOpenScopes = List.copyOf(b.failOpen);
    this.orphanPolicy = b.orphanPolicy;
    this.clock = b.clock;
    this.leaseFraction = b.leaseFraction;
    this.leaseScopes = List.copyOf(b.leaseScopes);
    this.leaseIdleNanos = b.leaseIdle.toNanos();
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "finops-redis-budget-store");
      t.setDaemon(true);
      return t;
    });
    long beat = Math.max(1, ownerTtlMillis / 3);
    scheduler.scheduleWithFixedDelay(this::housekeeping, 0, beat, TimeUnit.MILLISECONDS);
    scheduler.scheduleWithFixedDelay(this::drainRetries, 50, 50, TimeUnit.MILLISECONDS);
    if (leaseFraction != null) {
      long flush = b.leaseFlushInterval.toMillis();
      scheduler.scheduleWithFixedDelay(this::flushLeases, flush, flush, TimeUnit.MILLISECONDS);
    }
  }

  /** A store on the Redis at {@code uri} (with its own client, closed with the store). */
  public static Builder builder(RedisURI uri) {
    return new Builder(Objects.requireNonNull(uri, "uri"), null);
  }

  /** A store on the application's client (not closed with the store; its options are set by the store). */
  public static Builder builder(RedisClient client) {
    return new Builder(null, Objects.requireNonNull(client, "client"));
  }

  /** This instance's owner id: its reservations are ended by others when it stops renewing it. */
  public String owner() {
    return owner;
  }

  /** The prefix of every key of this store, {@code finops:{tag}:}. */
  public String keyPrefix() {
    return prefix;
  }

  /** The fraction of a budget's limit a lease takes; null when leases are off. */
  public BigDecimal leaseFraction() {
    return leaseFraction;
  }

  public Stats stats() {
    return stats;
  }

  /**
   * Wraps a listener so that THRESHOLD, TERMINATE, LIMIT_REACHED and THROTTLED events reach it once per
   * budget window and period across every process sharing this store (see {@link FleetEvents}).
   */
  public BudgetListener fleetOnce(BudgetListener listener) {
    return new FleetEvents(this, listener);
  }

  // ---- BudgetStore ---------------------------------------------------------------------------

  @Override
  public Counter counter(CounterSpec spec) {
    Window w = spec.window();
    long width = 0;
    int live = 0;
    String expire = "";
    if (w.isRolling()) {
      long length = w.length().toMillis();
      width = (length + w.subBuckets() - 1) / w.subBuckets();
      live = w.subBuckets() + 1;
      expire = "r" + (length + 2 * width + periodGraceMillis);
    } else if (spec.periodEndMillis() != Long.MAX_VALUE) {
      expire = "a" + saturatedAdd(spec.periodEndMillis(), periodGraceMillis);
    }
    boolean failOpen = matches(failOpenScopes, spec.key());
    long slice = 0;
    if (leaseFraction != null && !w.isRolling() && (leaseScopes.isEmpty() || matches(leaseScopes, spec.key()))) {
      slice = Math.max(1, new BigDecimal(spec.limitPico()).multiply(leaseFraction).setScale(0, RoundingMode.DOWN)
          .longValueExact());
    }
    return new RedisCounter(spec.key(), spec.limitPico(), prefix + "c:" + spec.key(), new Geometry(width, live, expire),
        failOpen, slice);
  }

  private static boolean matches(List<String> scopes, String counterKey) {
    for (String scope : scopes) {
      if (counterKey.startsWith(scope + "/")) {
        return true;
      }
    }
    return false;
  }

  @Override
  public int tryReserve(Counter[] counters, long amountPico, long atMillis) {
    if (amountPico < 0) {
      throw new IllegalArgumentException("a reservation must not be negative: " + amountPico);
    }
    if (amountPico == 0) {
      return -1;
    }
    RedisCounter[] cs = cast(counters);
    for (int i = 0; i < cs.length; i++) {
      if (cs[i].limit < amountPico) {
        return i; // more than the whole limit: no room whatever is used
      }
    }
    Lease lease = leaseFor(cs);
    if (lease != null) {
      int r = lease.take(amountPico);
      if (r == -1) {
        addPending(counters, amountPico, atMillis, new Pending(lease.id, false, lease));
      }
      if (r != NOT_LEASED) {
        return r;
      }
    }
    String id = owner + ":" + seq.incrementAndGet();
    List<String> args = new ArrayList<>(6 + 6 * cs.length);
    args.add(id);
    args.add(Long.toString(amountPico));
    args.add(Long.toString(reservationTtlMillis));
    args.add(owner);
    args.add(Long.toString(atMillis));
    args.add(Integer.toString(cs.length));
    for (RedisCounter c : cs) {
      Geometry g = c.geometry;
      args.add(Long.toString(c.limit - amountPico));
      args.add(g.rolling() ? Long.toString(g.target(atMillis)) : "");
      args.add(Integer.toString(g.live));
      args.add(g.rolling() ? Long.toString(g.bucket(atMillis)) : "");
      args.add(g.expire);
      args.add(g.toString());
    }
    try {
      Long refused = Scripts.RESERVE.eval(redis(), stats.commands, ScriptOutputType.INTEGER, keys(resKey(id), ownerSetKey, cs),
          args.toArray(new String[0]));
      up();
      if (refused >= 0) {
        return (int) (long) refused;
      }
      addPending(counters, amountPico, atMillis, new Pending(id, false, null));
      return -1;
    } catch (RedisException e) {
      if (!down(e)) {
        throw e;
      }
      if (maybeSent(e)) {
        // The script may have run before the reply was lost: release it by id (nothing if it never ran).
        retries.add(applyOp("r", resKey(id), ownerSetKey, id, cs, -amountPico, 0, atMillis, atMillis));
      }
      boolean open = true;
      for (RedisCounter c : cs) {
        open &= c.failOpen;
      }
      for (RedisCounter c : cs) {
        if (open || !c.failOpen) { // a closed chain: only its fail-closed budgets refuse
          int slash = c.key.indexOf('/'); // the budget's scope, without the window
          (open ? failingOpen : failingClosed).add(slash < 0 ? c.key : c.key.substring(0, slash));
        }
      }
      if (open) {
        stats.failOpenAdmissions.increment();
        addPending(counters, amountPico, atMillis, new Pending(id, true, null));
        return -1;
      }
      stats.unavailableDenials.increment();
      logOnce("down", "Redis is unreachable; fail-closed budgets refuse reservations until it is back", e);
      for (int i = 0; i < cs.length; i++) {
        if (!cs[i].failOpen) {
          return i;
        }
      }
      return 0;
    }
  }

  @Override
  public void commit(Counter[] counters, long reservedPico, long actualPico, long reservedAtMillis, long nowMillis) {
    settle(counters, reservedPico, actualPico - reservedPico, actualPico, reservedAtMillis, nowMillis);
  }

  @Override
  public void release(Counter[] counters, long reservedPico, long reservedAtMillis, long nowMillis) {
    settle(counters, reservedPico, -reservedPico, 0, reservedAtMillis, nowMillis);
  }

  @Override
  public void adjust(Counter[] counters, long usedDeltaPico, long spentDeltaPico, long reservedAtMillis,
      long nowMillis) {
    if (spentDeltaPico < 0) {
      throw new IllegalArgumentException("settled spend only grows: " + spentDeltaPico);
    }
    String op = owner + ":" + seq.incrementAndGet();
    run(applyOp("o", prefix + "d:" + op, ownerSetKey, op, cast(counters), usedDeltaPico, spentDeltaPico,
        reservedAtMillis, nowMillis));
  }

  private void settle(Counter[] counters, long reservedPico, long usedDelta, long spentDelta, long reservedAtMillis,
      long nowMillis) {
    if (spentDelta < 0) {
      throw new IllegalArgumentException("settled spend only grows: " + spentDelta);
    }
    Pending p = reservedPico == 0 ? null : takePending(counters, reservedPico, reservedAtMillis);
    if (p == null) {
      if (reservedPico != 0) {
        logOnce("unmatched", "a settlement matched no reservation of this store; applied as an adjustment", null);
      }
      adjust(counters, usedDelta, spentDelta, reservedAtMillis, nowMillis);
    } else if (p.lease != null) {
      long beyond = p.lease.settle(reservedPico, spentDelta);
      if (beyond > 0) { // spent beyond the reservation and the lease's free room: counted as without a lease
        adjust(counters, beyond, beyond, reservedAtMillis, nowMillis);
      }
    } else if (p.offline) {
      // Admitted fail-open while Redis was unreachable: Redis never held it; count what it spent, once.
      if (spentDelta > 0) {
        run(applyOp("o", prefix + "d:" + p.id, ownerSetKey, p.id, cast(counters), spentDelta, spentDelta, nowMillis,
            nowMillis));
      }
    } else {
      run(applyOp("r", resKey(p.id), ownerSetKey, p.id, cast(counters), usedDelta, spentDelta, reservedAtMillis,
          nowMillis));
    }
  }

  @Override
  public Reading read(Counter counter, long nowMillis) {
    RedisCounter c = (RedisCounter) counter;
    Geometry g = c.geometry;
    try {
      List<String> v = Scripts.READ.eval(redis(), stats.commands, ScriptOutputType.MULTI, new String[] {c.redisKey},
          g.rolling() ? Long.toString(g.target(nowMillis)) : "", Integer.toString(g.live));
      Reading r = new Reading(Long.parseLong(v.get(0)), Long.parseLong(v.get(1)));
      lastReadings.put(c.key, r);
      return r;
    } catch (RedisException e) {
      if (!down(e)) {
        throw e;
      }
      return lastReadings.getOrDefault(c.key, new Reading(0, 0)); // the last figures known
    }
  }

  // ---- operations, retries -------------------------------------------------------------------

  /** One idempotent script call, retried in order while Redis is unreachable. */
  private static final class Op {
    final Script script;
    final String[] keys;
    final String[] args;

    Op(Script script, String[] keys, String[] args) {
      this.script = script;
      this.keys = keys;
      this.args = args;
    }
  }

  private Op applyOp(String mode, String guard, String ownerSet, String id, RedisCounter[] cs, long usedDelta,
      long spentDelta, long reservedAtMillis, long nowMillis) {
    // Of the settled spend, what the reservation held counts from it; the rest (beyond it) from now.
    long unreserved = Math.min(spentDelta, Math.max(0, usedDelta));
    long reserved = spentDelta - unreserved;
    long ud = Math.abs(usedDelta); // |usedDelta| <= Long.MAX_VALUE: a reservation and an actual are non-negative
    List<String> a = new ArrayList<>(11 + 5 * cs.length);
    a.add(mode);
    a.add(id);
    a.add(usedDelta > 0 ? "+" : usedDelta < 0 ? "-" : "0");
    a.add(Long.toString(ud));
    a.add(Long.toString(Long.MAX_VALUE - ud));
    a.add(Long.toString(reserved));
    a.add(Long.toString(Long.MAX_VALUE - reserved));
    a.add(Long.toString(unreserved));
    a.add(Long.toString(Long.MAX_VALUE - unreserved));
    a.add(Long.toString(markerTtlMillis));
    a.add(Integer.toString(cs.length));
    for (RedisCounter c : cs) {
      Geometry g = c.geometry;
      addApplyArgs(a, g, reservedAtMillis, nowMillis);
    }
    return new Op(Scripts.APPLY, keys(guard, ownerSet, cs), a.toArray(new String[0]));
  }

  private static void addApplyArgs(List<String> a, Geometry g, long reservedAtMillis, long nowMillis) {
    a.add(g.rolling() ? Long.toString(g.target(nowMillis)) : "");
    a.add(Integer.toString(g.live));
    a.add(g.rolling() ? Long.toString(g.bucket(nowMillis)) : "");
    a.add(g.rolling() ? Long.toString(g.bucket(reservedAtMillis)) : "");
    a.add(g.expire);
  }

  /** Runs {@code op} now, or queues it for retry if Redis is unreachable (or others are queued before it). */
  private long run(Op op) {
    if (retries.isEmpty()) {
      try {
        long r = exec(op);
        up();
        return r;
      } catch (RedisException e) {
        if (!down(e)) {
          throw e;
        }
        logOnce("queued", "Redis is unreachable; settlements are queued and retried until it is back", e);
      }
    }
    retries.add(op);
    stats.queued.increment();
    return QUEUED;
  }

  private long exec(Op op) {
    Long r = op.script.eval(redis(), stats.commands, ScriptOutputType.INTEGER, op.keys, op.args);
    if (r == 0 && op.script == Scripts.APPLY && "r".equals(op.args[0])) {
      stats.alreadySettled.increment();
    }
    return r;
  }

  /** Replays queued operations in order; stops at the first that still cannot reach Redis. */
  private void drainRetries() {
    try {
      boolean replayed = false;
      for (Op op = retries.peek(); op != null && !closed; op = retries.peek()) {
        try {
          exec(op);
          replayed = true;
        } catch (RedisException e) {
          if (down(e)) {
            return;
          }
          log.error("finops redis store: dropping an operation Redis refused", e);
        }
        retries.poll();
      }
      if (replayed) {
        up(); // only a command that went through says Redis is back
      }
    } catch (RuntimeException e) {
      log.warn("finops redis store: retry failed", e);
    }
  }

  /** Operations waiting for Redis. */
  public int queuedOperations() {
    return retries.size();
  }

  // ---- leases --------------------------------------------------------------------------------

  private static final long QUEUED = Long.MIN_VALUE;
  private static final int NOT_LEASED = -2;

  /** The chain's lease (made on first use, empty until it grows), or null if the chain is not leased. */
  private Lease leaseFor(RedisCounter[] cs) {
    long slice = cs.length == 0 || closed ? 0 : Long.MAX_VALUE;
    for (RedisCounter c : cs) {
      slice = Math.min(slice, c.leaseSlice);
    }
    if (slice == 0) {
      return null;
    }
    StringBuilder chain = new StringBuilder();
    for (RedisCounter c : cs) {
      chain.append(c.redisKey).append('\n');
    }
    String key = chain.toString();
    long leaseSlice = slice;
    while (true) {
      Lease l = leases.computeIfAbsent(key, k -> new Lease(owner + ":L" + seq.incrementAndGet(), k, cs, leaseSlice));
      synchronized (l) {
        if (!l.retired) {
          return l;
        }
      }
      leases.remove(key, l);
    }
  }

  /** True while this owner is surely alive to the other stores: its last heartbeat's TTL has 1/4 left. */
  private boolean alive() {
    long beat = lastBeatNanos;
    return beat != Long.MIN_VALUE && System.nanoTime() - beat < TimeUnit.MILLISECONDS.toNanos(ownerTtlMillis) * 3 / 4;
  }

  /** Flushes the settled spend of every lease, returns idle ones. Runs every flush interval by itself. */
  private void flushLeases() {
    for (Lease l : heldLeases) {
      try {
        l.flush();
      } catch (RuntimeException e) {
        logOnce("lease", "a lease flush failed", e);
      }
    }
  }

  /** Flushes every lease now (the flush interval does it by itself), for tests. */
  void flushLeasesNow() {
    flushLeases();
  }

  /** Leases this process holds in Redis, for tests. */
  int heldLeases() {
    return heldLeases.size();
  }

  /**
   * A slice of a chain's room, reserved in Redis as one record (like a reservation: so the others see it,
   * and a sweeper ends it by the orphan rule if this process dies), served locally. Invariant, under its
   * lock: {@code amount = free + outstanding + unflushed} is what the record holds in Redis (at least: a
   * growth whose reply was lost may hold more, released when the lease ends). Local reservations only take
   * from {@code free}, so the fleet never admits past a limit.
   */
  private final class Lease {
    final String id;
    final String chain;
    final RedisCounter[] cs;
    final long slice;
    long amount;
    long free;
    long outstanding;
    long unflushed;
    long seq;
    boolean created;
    boolean retired;
    boolean gone;
    long lastUsedNanos = System.nanoTime();
    long lastTouchNanos = System.nanoTime();

    Lease(String id, String chain, RedisCounter[] cs, long slice) {
      this.id = id;
      this.chain = chain;
      this.cs = cs;
      this.slice = slice;
    }

    /**
     * Takes {@code want} from the free room, growing the lease first if short (by a slice, or by what is
     * missing if a slice does not fit). Returns -1 when taken, the index of a counter without room, or
     * {@link #NOT_LEASED}: the reservation goes the ordinary way.
     */
    synchronized int take(long want) {
      if (retired || !alive()) {
        return NOT_LEASED;
      }
      if (free < want) {
        if (!retries.isEmpty()) {
          return NOT_LEASED;
        }
        long min = want - free;
        long grow = Math.max(slice, min);
        long r = op('g', grow, min);
        if (r >= 0 && !created) {
          seq--; // refused before the record existed: Redis kept nothing, the next growth is the first again
        }
        if (r == -4) {
          grow = min; // only the minimum fitted
        } else if (r != -1) {
          if (r >= 0 && free == 0) {
            return (int) r; // no room for it even with this lease's room: refused, one round trip
          }
          if (r >= 0) {
            shrink(); // near the limit: the free room back to the fleet; this reservation goes the ordinary way
          } else {
            retire(r == -3); // queued (reply unknown) or ended by a sweeper
            if (r == QUEUED && !created) {
              gone = true;
              op('e', 0, 0); // queued behind the growth: ends the record if the growth made one
            }
          }
          return NOT_LEASED;
        }
        created = true;
        heldLeases.add(this);
        amount += grow;
        free += grow;
        stats.leaseGrowths.increment();
      }
      free -= want;
      outstanding += want;
      lastUsedNanos = System.nanoTime();
      stats.leasedReservations.increment();
      return -1;
    }

    /** Settles a local reservation; returns what was spent beyond it and the free room (counted apart). */
    synchronized long settle(long reserved, long actual) {
      outstanding -= reserved;
      if (gone) {
        stats.alreadySettled.increment(); // ended by a sweeper: its rule counted it
        return 0;
      }
      long kept = Math.min(actual, reserved);
      long more = Math.min(actual - kept, free);
      free += reserved - kept - more;
      unflushed += kept + more;
      return actual - kept - more;
    }

    synchronized void flush() {
      long now = System.nanoTime();
      if (gone) {
        heldLeases.remove(this);
      } else if (outstanding == 0 && (retired || now - lastUsedNanos >= leaseIdleNanos || !alive())) {
        giveBack(false);
      } else {
        long excess = free > slice ? free - slice : 0; // room released by settlements beyond a slice goes back
        if (unflushed > 0 || excess > 0
            || now - lastTouchNanos > TimeUnit.MILLISECONDS.toNanos(reservationTtlMillis) / 4) {
          long s = unflushed;
          unflushed = 0;
          free -= excess;
          amount -= s + excess;
          stats.leaseFlushes.increment();
          lastTouchNanos = now;
          if (op('f', s, excess) == -3) {
            retire(true);
          }
        }
      }
    }

    /** Spends the unflushed settlements and releases the free room; the lease stays for what is open. */
    private void shrink() {
      long s = unflushed;
      long f = free;
      unflushed = 0;
      free = 0;
      amount -= s + f;
      stats.leaseFlushes.increment();
      if (op('f', s, f) == -3) {
        retire(true);
      }
    }

    /** Ends the lease in Redis (spends what was settled, releases the rest) once nothing is open in it. */
    synchronized void giveBack(boolean closing) {
      retire(gone);
      if (gone || !created) {
        gone = true;
        heldLeases.remove(this);
      } else if (outstanding == 0) {
        long s = unflushed;
        amount = free = unflushed = 0;
        gone = true;
        heldLeases.remove(this);
        stats.leaseReturns.increment();
        op('e', s, 0);
      } else if (closing) {
        shrink(); // what is still open stays in the record: the orphan rule ends it once this owner is dead
      }
    }

    private void retire(boolean ended) {
      retired = true;
      gone |= ended;
      leases.remove(chain, this);
    }

    /**
     * One lease script call (once by seq; queued while Redis is unreachable): -1 done, see lease.lua.
     * {@code released}: room released (mode f), the minimum growth (mode g).
     */
    private long op(char mode, long amt, long released) {
      List<String> a = new ArrayList<>(9 + 4 * cs.length);
      a.add(String.valueOf(mode));
      a.add(id);
      a.add(Long.toString(++seq));
      a.add(owner);
      a.add(Long.toString(reservationTtlMillis));
      a.add(Integer.toString(cs.length));
      a.add(Long.toString(amt));
      a.add(Long.toString(Long.MAX_VALUE - amt));
      a.add(Long.toString(released));
      for (RedisCounter c : cs) {
        a.add(mode == 'g' ? Long.toString(c.limit - amt) : "");
        a.add(mode == 'g' ? Long.toString(c.limit - released) : "");
        a.add(c.geometry.expire);
        a.add(c.geometry.toString());
      }
      return run(new Op(Scripts.LEASE, keys(resKey(id), ownerSetKey, cs), a.toArray(new String[0])));
    }
  }

  // ---- liveness and sweeping -----------------------------------------------------------------

  private void housekeeping() {
    if (closed) {
      return;
    }
    try {
      sweep();
    } catch (RedisException e) {
      if (!down(e)) {
        log.warn("finops redis store: sweep failed", e);
      }
    } catch (RuntimeException e) {
      log.warn("finops redis store: sweep failed", e);
    }
  }

  /**
   * Renews this owner's liveness and ends what dead owners left open and what is past its deadline. Runs
   * every {@code ownerTtl/3} by itself.
   *
   * @return how many reservations this call ended
   */
  public int sweep() {
    RedisCommands<String, String> redis = redis();
    long sent = System.nanoTime();
    List<String> work = Scripts.SWEEP.eval(redis, stats.commands, ScriptOutputType.MULTI, new String[] {ownersKey, openKey}, owner,
        Long.toString(ownerTtlMillis), Integer.toString(SWEEP_BATCH));
    lastBeatNanos = sent; // alive to the others until at least sent + ownerTtl
    up();
    int dead = Integer.parseInt(String.valueOf(work.get(0)));
    int ended = 0;
    for (int i = 1; i <= dead; i++) {
      String o = work.get(i);
      stats.commands.increment();
      for (String id : redis.smembers(ownerSet(o))) {
        if (expireRecord(redis, id, orphanPolicy)) {
          ended++;
          stats.orphansEnded.increment();
        }
      }
      Scripts.FORGET.eval(redis, stats.commands, ScriptOutputType.INTEGER, new String[] {ownersKey, ownerSet(o)}, o);
    }
    for (int i = dead + 1; i < work.size(); i++) {
      if (expireRecord(redis, work.get(i), OrphanPolicy.CHARGE)) {
        ended++;
        stats.overdueEnded.increment();
      }
    }
    return ended;
  }

  /** Ends one reservation from its record (by whoever sweeps); false if it had ended already. */
  private boolean expireRecord(RedisCommands<String, String> redis, String id, OrphanPolicy policy) {
    stats.commands.increment();
    Map<String, String> rec = redis.hgetall(resKey(id));
    if (rec.isEmpty()) {
      stats.commands.increment();
      redis.zrem(openKey, id);
      return false;
    }
    long amount = Long.parseLong(rec.get("amt"));
    long at = Long.parseLong(rec.get("at"));
    int n = Integer.parseInt(rec.get("n"));
    long now = clock.getAsLong();
    List<String> keys = new ArrayList<>(3 + n);
    keys.add(resKey(id));
    keys.add(openKey);
    keys.add(ownerSet(rec.get("own")));
    long usedDelta = policy == OrphanPolicy.CHARGE ? 0 : -amount;
    long reserved = policy == OrphanPolicy.CHARGE ? amount : 0;
    List<String> a = new ArrayList<>(List.of("r=" + rec.get("amt"), id, usedDelta < 0 ? "-" : "0", Long.toString(Math.abs(usedDelta)),
        Long.toString(Long.MAX_VALUE - Math.abs(usedDelta)), Long.toString(reserved),
        Long.toString(Long.MAX_VALUE - reserved), "0", MAX, Long.toString(markerTtlMillis), Integer.toString(n)));
    for (int i = 1; i <= n; i++) {
      keys.add(rec.get("k" + i));
      addApplyArgs(a, Geometry.parse(rec.get("g" + i)), at, now);
    }
    Long r = Scripts.APPLY.eval(redis, stats.commands, ScriptOutputType.INTEGER, keys.toArray(new String[0]), a.toArray(new String[0]));
    return r == 1;
  }

  // ---- plumbing ------------------------------------------------------------------------------

  RedisCommands<String, String> redis() {
    StatefulRedisConnection<String, String> c = connection;
    if (c != null) {
      return c.sync();
    }
    synchronized (connectLock) {
      if (connection == null) {
        long now = System.currentTimeMillis();
        if (now < nextConnectMillis) {
          throw new RedisException("Redis unreachable (connecting again shortly)");
        }
        try {
          connection = client.connect();
        } catch (RedisException e) {
          nextConnectMillis = now + 250;
          throw e;
        }
      }
      return connection.sync();
    }
  }

  /** True for failures of reach (connection, timeout, loading): the operation may be retried. */
  /** {@link #unavailable}, noting that Redis is down (for {@link #health()}) when it is. */
  private boolean down(RedisException e) {
    if (!unavailable(e)) {
      return false;
    }
    if (downSinceMillis < 0) {
      downSinceMillis = System.currentTimeMillis();
    }
    return true;
  }

  /** A command went through and nothing waits for Redis: the store is healthy again. */
  private void up() {
    if (downSinceMillis >= 0 && retries.isEmpty()) {
      downSinceMillis = -1;
      failingOpen.clear();
      failingClosed.clear();
    }
  }

  /**
   * Whether Redis is reachable, and which budgets run degraded meanwhile: those admitting fail-open (their
   * admissions reach Redis when it is back) and those refusing fail-closed; with the operations queued
   * for Redis. Healthy again once a command goes through with nothing queued.
   */
  public Health health() {
    long since = downSinceMillis;
    return new Health(since < 0, since < 0 ? null : java.time.Instant.ofEpochMilli(since), retries.size(),
        new java.util.TreeSet<>(failingOpen), new java.util.TreeSet<>(failingClosed));
  }

  /**
   * The store's health (see {@link RedisBudgetStore#health()}).
   *
   * @param reachable false from a command that could not reach Redis until one goes through with nothing queued
   * @param downSince when Redis was first found unreachable, or {@code null}
   * @param queuedOperations settlements and adjustments waiting for Redis
   * @param failingOpen budgets (scope keys) that admitted fail-open meanwhile
   * @param failingClosed budgets that refused fail-closed meanwhile
   */
  public record Health(boolean reachable, java.time.Instant downSince, int queuedOperations,
      java.util.SortedSet<String> failingOpen, java.util.SortedSet<String> failingClosed) {}

  static boolean unavailable(RedisException e) {
    if (e instanceof RedisLoadingException) {
      return true;
    }
    if (e instanceof RedisCommandExecutionException) {
      String m = String.valueOf(e.getMessage());
      return m.startsWith("BUSY") || m.startsWith("MASTERDOWN") || m.startsWith("TRYAGAIN");
    }
    return true;
  }

  /** False when the command surely never left (not connected): then nothing needs undoing. */
  private static boolean maybeSent(RedisException e) {
    return !(e instanceof RedisConnectionException) && !String.valueOf(e.getMessage()).contains("not connected")
        && !String.valueOf(e.getMessage()).contains("connecting again");
  }

  private void logOnce(String kind, String message, Exception e) {
    if (loggedOnce.add(kind)) {
      log.warn("finops redis store: {} (logged once: {})", message, e == null ? "-" : e.toString());
    }
  }

  private String resKey(String id) {
    return prefix + "r:" + id;
  }

  private String ownerSet(String o) {
    return prefix + "o:" + o;
  }

  private String[] keys(String guard, String ownerSet, RedisCounter[] cs) {
    String[] k = new String[3 + cs.length];
    k[0] = guard;
    k[1] = openKey;
    k[2] = ownerSet;
    for (int i = 0; i < cs.length; i++) {
      k[3 + i] = cs[i].redisKey;
    }
    return k;
  }

  private static RedisCounter[] cast(Counter[] counters) {
    RedisCounter[] cs = new RedisCounter[counters.length];
    for (int i = 0; i < counters.length; i++) {
      cs[i] = (RedisCounter) counters[i];
    }
    return cs;
  }

  private static long saturatedAdd(long a, long b) {
    long s = a + b;
    return ((a ^ s) & (b ^ s)) < 0 ? Long.MAX_VALUE : s;
  }

  private void addPending(Counter[] counters, long amount, long at, Pending p) {
    pending.computeIfAbsent(new PendingKey(counters, amount, at), k -> new ConcurrentLinkedDeque<>()).add(p);
  }

  private Pending takePending(Counter[] counters, long amount, long at) {
    PendingKey k = new PendingKey(counters, amount, at);
    ConcurrentLinkedDeque<Pending> q = pending.get(k);
    if (q == null) {
      return null;
    }
    Pending p = q.poll();
    if (q.isEmpty()) {
      pending.remove(k, q);
      if (!q.isEmpty()) { // a reservation joined it meanwhile: put the queue back
        ConcurrentLinkedDeque<Pending> other = pending.putIfAbsent(k, q);
        if (other != null) {
          for (Pending x; (x = q.poll()) != null;) {
            other.add(x);
          }
        }
      }
    }
    return p;
  }

  /** Reservations open in this process (their Redis ids), for tests. */
  int pendingReservations() {
    int n = 0;
    for (ConcurrentLinkedDeque<Pending> q : pending.values()) {
      n += q.size();
    }
    return n;
  }

  /**
   * Stops the housekeeping, tries the queued operations one last time, and closes the connection (and
   * the client, if the store made it). Reservations still open stay in Redis and are ended by live
   * stores once this owner's liveness lapses.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    scheduler.shutdownNow();
    drainRetries();
    for (Lease l : heldLeases) {
      l.giveBack(true);
    }
    closed = true;
    if (!retries.isEmpty()) {
      log.warn("finops redis store: closing with {} operations Redis never got", retries.size());
    }
    StatefulRedisConnection<String, String> c = connection;
    if (c != null) {
      c.close();
    }
    if (ownsClient) {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
      resources.shutdown(0, 1, TimeUnit.SECONDS);
    }
  }

  // ---- types ---------------------------------------------------------------------------------

  /** A counter: its key, limit, Redis key and window geometry. */
  static final class RedisCounter implements Counter {
    final String key;
    final long limit;
    final String redisKey;
    final Geometry geometry;
    final boolean failOpen;
    final long leaseSlice; // 0: not leased

    RedisCounter(String key, long limit, String redisKey, Geometry geometry, boolean failOpen, long leaseSlice) {
      this.key = key;
      this.limit = limit;
      this.redisKey = redisKey;
      this.geometry = geometry;
      this.failOpen = failOpen;
      this.leaseSlice = leaseSlice;
    }

    @Override
    public String key() {
      return key;
    }

    @Override
    public long limitPico() {
      return limit;
    }

    @Override
    public String toString() {
      return redisKey;
    }
  }

  /** Sub-bucket width (0: not rolling), live sub-buckets and expiry spec; kept in reservation records. */
  static final class Geometry {
    final long width;
    final int live;
    final String expire;

    Geometry(long width, int live, String expire) {
      this.width = width;
      this.live = live;
      this.expire = expire;
    }

    boolean rolling() {
      return width > 0;
    }

    long bucket(long millis) {
      return Math.floorDiv(millis, width);
    }

    /** Sub-buckets at or before this have left the window at {@code millis}. */
    long target(long millis) {
      return bucket(millis) - live;
    }

    static Geometry parse(String s) {
      String[] p = s.split(":", 3);
      return new Geometry(Long.parseLong(p[0]), Integer.parseInt(p[1]), p[2]);
    }

    @Override
    public String toString() {
      return width + ":" + live + ":" + expire;
    }
  }

  /** An open reservation of this process: its Redis id; offline when admitted fail-open without Redis. */
  private static final class Pending {
    final String id;
    final boolean offline;
    final Lease lease; // served from this lease, without Redis

    Pending(String id, boolean offline, Lease lease) {
      this.id = id;
      this.offline = offline;
      this.lease = lease;
    }
  }

  /** The chain (by identity: the manager reuses a chain's array), amount and time of a reservation. */
  private static final class PendingKey {
    final Counter[] chain;
    final long amount;
    final long at;

    PendingKey(Counter[] chain, long amount, long at) {
      this.chain = chain;
      this.amount = amount;
      this.at = at;
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof PendingKey)) {
        return false;
      }
      PendingKey k = (PendingKey) o;
      return chain == k.chain && amount == k.amount && at == k.at;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(chain) * 31 + Long.hashCode(amount * 31 + at);
    }
  }

  /** What the store has done about Redis being away, and sweeping. */
  public static final class Stats {
    final LongAdder unavailableDenials = new LongAdder();
    final LongAdder failOpenAdmissions = new LongAdder();
    final LongAdder queued = new LongAdder();
    final LongAdder alreadySettled = new LongAdder();
    final LongAdder orphansEnded = new LongAdder();
    final LongAdder overdueEnded = new LongAdder();
    final LongAdder leaseGrowths = new LongAdder();
    final LongAdder commands = new LongAdder();

    /** Redis commands this store sent (each a round trip: scripts, sweeper reads, fleet events), all threads. */
    public long commands() {
      return commands.sum();
    }
    final LongAdder leasedReservations = new LongAdder();
    final LongAdder leaseFlushes = new LongAdder();
    final LongAdder leaseReturns = new LongAdder();

    /** Leases taken or grown (one round trip each). */
    public long leaseGrowths() {
      return leaseGrowths.sum();
    }

    /** Reservations served from a lease, without a round trip. */
    public long leasedReservations() {
      return leasedReservations.sum();
    }

    /** Lease flushes (settled spend sent, or free room given back): one round trip each. */
    public long leaseFlushes() {
      return leaseFlushes.sum();
    }

    /** Leases returned (idle, or at close). */
    public long leaseReturns() {
      return leaseReturns.sum();
    }

    /** Reservations refused because Redis was unreachable and a budget of the chain is fail-closed. */
    public long unavailableDenials() {
      return unavailableDenials.sum();
    }

    /** Reservations admitted without Redis because every budget of the chain is fail-open. */
    public long failOpenAdmissions() {
      return failOpenAdmissions.sum();
    }

    /** Operations queued for retry because Redis was unreachable. */
    public long queued() {
      return queued.sum();
    }

    /** Settlements that found their reservation ended already (a retry, or a sweeper was first). */
    public long alreadySettled() {
      return alreadySettled.sum();
    }

    /** Reservations of dead owners this store ended. */
    public long orphansEnded() {
      return orphansEnded.sum();
    }

    /** Reservations past their deadline this store ended (charged in full). */
    public long overdueEnded() {
      return overdueEnded.sum();
    }

    @Override
    public String toString() {
      return "Stats{unavailableDenials=" + unavailableDenials() + ", failOpenAdmissions=" + failOpenAdmissions()
          + ", queued=" + queued() + ", alreadySettled=" + alreadySettled() + ", orphansEnded=" + orphansEnded()
          + ", overdueEnded=" + overdueEnded() + ", leaseGrowths=" + leaseGrowths() + ", leasedReservations="
          + leasedReservations() + ", leaseFlushes=" + leaseFlushes() + ", leaseReturns=" + leaseReturns()
          + ", commands=" + commands() + "}";
    }
  }

  /** Configures a {@link RedisBudgetStore}. */
  public static final class Builder {
    private final RedisURI uri;
    private final RedisClient client;
    private String tag = DEFAULT_TAG;
    private Duration commandTimeout = Duration.ofMillis(500);
    private Duration ownerTtl = Duration.ofSeconds(15);
    private Duration reservationTtl = Duration.ofHours(1);
    private Duration periodGrace = Duration.ofDays(1);
    private final List<String> failOpen = new ArrayList<>();
    private OrphanPolicy orphanPolicy = OrphanPolicy.CHARGE;
    private LongSupplier clock = System::currentTimeMillis;
    private BigDecimal leaseFraction;
    private final List<String> leaseScopes = new ArrayList<>();
    private Duration leaseFlushInterval = Duration.ofMillis(100);
    private Duration leaseIdle = Duration.ofSeconds(1);

    private Builder(RedisURI uri, RedisClient client) {
      this.uri = uri;
      this.client = client;
    }

    /**
     * The hash tag of every key (default {@value #DEFAULT_TAG}): stores with the same tag share budgets;
     * give each tenant its own to spread a cluster. No braces.
     */
    public Builder tag(String tag) {
      Objects.requireNonNull(tag, "tag");
      if (tag.isEmpty() || tag.contains("{") || tag.contains("}")) {
        throw new IllegalArgumentException("tag must be non-empty and without braces: " + tag);
      }
      this.tag = tag;
      return this;
    }

    /** The most one Redis command may take before Redis counts as unreachable (default 500 ms). */
    public Builder commandTimeout(Duration timeout) {
      this.commandTimeout = positive(timeout, "commandTimeout");
      return this;
    }

    /**
     * How long an owner that stops renewing its liveness (every third of this) stays alive to others
     * (default 15 s); its reservations are then ended by any live store. Longer than any pause of the
     * process (GC) or blip of Redis you want to ride out.
     */
    public Builder ownerTtl(Duration ttl) {
      this.ownerTtl = positive(ttl, "ownerTtl");
      return this;
    }

    /**
     * The backstop deadline of a reservation, on Redis' clock (default 1 hour), after which any live
     * store settles it to its full amount even if its owner lives. Keep it above the manager's {@code
     * reservationTtl} plus the longest GPU lease slice: the manager expires its own reservations first.
     */
    public Builder reservationTtl(Duration ttl) {
      this.reservationTtl = positive(ttl, "reservationTtl");
      return this;
    }

    /** How long a calendar period's counter stays in Redis after the period ends (default 1 day). */
    public Builder periodGrace(Duration grace) {
      Objects.requireNonNull(grace, "periodGrace");
      if (grace.isNegative()) {
        throw new IllegalArgumentException("periodGrace must not be negative: " + grace);
      }
      this.periodGrace = grace;
      return this;
    }

    /**
     * Budgets (by scope, {@code team=nlp}) that admit work while Redis is unreachable, counting it when it
     * settles; the others refuse it (fail closed, the default).
     */
    public Builder failOpen(String... scopes) {
      for (String s : scopes) {
        failOpen.add(Objects.requireNonNull(s, "scope"));
      }
      return this;
    }

    /** What happens to the open reservations of a dead owner (default {@link OrphanPolicy#CHARGE}). */
    public Builder orphanPolicy(OrphanPolicy policy) {
      this.orphanPolicy = Objects.requireNonNull(policy, "orphanPolicy");
      return this;
    }

    /** The wall clock for rolling-window sub-buckets of sweeps (default the system clock). */
    public Builder clock(LongSupplier epochMillis) {
      this.clock = Objects.requireNonNull(epochMillis, "clock");
      return this;
    }

    /**
     * Leases (off by default): a process takes {@code fraction} of a budget's limit (the smallest of its
     * chain) in one round trip, reserved in Redis like a reservation, and serves reservations from it
     * without one; settled spend is sent every {@link #leaseFlushInterval}, and the lease is returned when
     * idle ({@link #leaseIdle}) or at close. Only budgets with one of {@code scopes} ({@code team=nlp}; none:
     * every budget) and calendar or lifetime windows are leased: a chain with any other budget is not. The
     * limit is never passed; a reservation may be refused while other processes hold unused lease room.
     *
     * @param fraction of the limit, in (0, 1], e.g. {@code new BigDecimal("0.05")}
     */
    public Builder leases(BigDecimal fraction, String... scopes) {
      Objects.requireNonNull(fraction, "leaseFraction");
      if (fraction.signum() <= 0 || fraction.compareTo(BigDecimal.ONE) > 0) {
        throw new IllegalArgumentException("leaseFraction must be in (0, 1], got " + fraction);
      }
      this.leaseFraction = fraction;
      for (String s : scopes) {
        leaseScopes.add(Objects.requireNonNull(s, "leaseScopes"));
      }
      return this;
    }

    /**
     * How often a lease's settled spend is sent to Redis (default 100 ms). Until then it is held in the
     * lease's amount, which Redis counts as used: a crash loses none of it (the orphan rule ends the lease).
     */
    public Builder leaseFlushInterval(Duration interval) {
      this.leaseFlushInterval = positive(interval, "leaseFlushInterval");
      return this;
    }

    /** How long a lease with nothing open stays unused before it is returned (default 1 s). */
    public Builder leaseIdle(Duration idle) {
      this.leaseIdle = positive(idle, "leaseIdle");
      return this;
    }

    public RedisBudgetStore build() {
      return new RedisBudgetStore(this);
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, got " + d);
      }
      return d;
    }
  }
}

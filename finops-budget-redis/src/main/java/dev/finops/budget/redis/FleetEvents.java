package dev.finops.budget.redis;

import dev.finops.core.budget.BudgetEvent;
import dev.finops.core.budget.BudgetListener;
import dev.finops.core.budget.BudgetStatus;
import io.lettuce.core.RedisException;
import io.lettuce.core.SetArgs;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link BudgetListener} that passes THRESHOLD, TERMINATE, LIMIT_REACHED and THROTTLED events on once
 * per budget window and period across the fleet: each process's manager still fires them once for
 * itself (and still stops its own running work on TERMINATE); the first process to {@code SET NX} the
 * event's key, {@code finops:{tag}:ev:<type>:<threshold>:<scope>/<window>/<period start>}, delivers it. The
 * key expires a day after a calendar period ends, after a rolling window's length (so a threshold the
 * window fell back below fires again later), never for a lifetime window. Other events (reservation
 * expiry) pass through. If Redis is unreachable the event is delivered: a duplicate alert rather than a
 * lost one.
 */
final class FleetEvents implements BudgetListener {
  private static final Logger log = LoggerFactory.getLogger(FleetEvents.class);
  private static final long GRACE_MILLIS = Duration.ofDays(1).toMillis();

  private final RedisBudgetStore store;
  private final BudgetListener delegate;

  FleetEvents(RedisBudgetStore store, BudgetListener delegate) {
    this.store = store;
    this.delegate = Objects.requireNonNull(delegate, "listener");
  }

  @Override
  public void onEvent(BudgetEvent event) {
    if (event.type() == BudgetEvent.Type.RESERVATION_EXPIRED || first(event)) {
      delegate.onEvent(event);
    }
  }

  private boolean first(BudgetEvent event) {
    BudgetStatus st = event.status();
    boolean rolling = st.window().isRolling();
    Instant start = st.periodStart();
    String key = store.keyPrefix() + "ev:" + event.type() + ":"
        + (event.threshold() == null ? "-" : event.threshold().toPlainString()) + ":" + st.scope() + "/" + st.window()
        + (rolling || start == null ? "" : "/" + start.toEpochMilli());
    SetArgs args = SetArgs.Builder.nx();
    if (rolling) {
      args.px(st.window().length().toMillis());
    } else if (st.periodEnd() != null) {
      args.px(Math.max(1, st.periodEnd().toEpochMilli() + GRACE_MILLIS - System.currentTimeMillis()));
    }
    try {
      store.stats().commands.increment();
      return "OK".equals(store.redis().set(key, Instant.now().toString(), args));
    } catch (RedisException e) {
      log.debug("finops redis store: fleet event key unavailable, delivering {}", event.type(), e);
      return true;
    }
  }
}

package dev.finops.core.budget;

import dev.finops.core.CurrencyMismatchException;
import dev.finops.core.Money;
import dev.finops.core.pricing.PricedUsage;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * An amount held on every budget of a scope chain for one piece of work, until the work's actual cost
 * is known. Use it with try-with-resources: settle it when the work is done; closing it without
 * settling releases it (the work failed or was cancelled).
 *
 * <pre>{@code
 * try (Reservation r = budgets.scope(tags).reserve(estimator.llmCall(gpt, promptTokens, maxTokens))) {
 *   Thread.sleep(r.throttleDelay().toMillis());            // THROTTLE, when the budget asks for it
 *   Response resp = client.call(...);
 *   r.settle(finops.price("openai", "gpt-4o", usageOf(resp)));
 * }                                                          // released if not settled
 * }</pre>
 *
 * <p><b>Exactly once.</b> A reservation ends once, by one atomic state change from {@link State#OPEN}
 * to {@link State#SETTLED}, {@link State#RELEASED} or {@link State#EXPIRED}; only the call that makes
 * the change touches the budgets. Every later {@code settle}/{@code release}/{@code close}, from any
 * thread, returns {@code false} and changes nothing (counted in {@link BudgetManager.Stats#lateFinishes()}).
 *
 * <p><b>Expiry.</b> A reservation still open at its deadline (the manager's TTL after it was made, on
 * the injected clock's wall time) is expired by the manager's sweep and settled to its full amount,
 * never to zero: the work probably ran. A settlement that arrives afterwards is refused.
 *
 * <p><b>Amounts</b> are pico-units (10<sup>-12</sup>) of the manager's currency; an actual cost that is
 * not a whole number of pico-units is rounded UP. Settling above the reservation is allowed (the real
 * cost is never lost) and is the one way, besides recording without reservation, that a budget can go
 * past its limit: by {@code actual − reserved} ({@link BudgetManager.Stats#overrun()}).
 *
 * <p>Thread-safe.
 */
public final class Reservation implements AutoCloseable {

  /** Where a reservation is in its life. */
  public enum State {
    OPEN,
    SETTLED,
    RELEASED,
    EXPIRED
  }

  private static final State[] STATES = State.values();
  static final int OPEN = 0;
  static final int SETTLED = 1;
  static final int RELEASED = 2;
  static final int EXPIRED = 3;

  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(Reservation.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final BudgetManager manager;
  final Chain chain;
  private final long id;
  final long amountPico;
  final long reservedAtMillis;
  final long deadlineMillis;
  private final long throttleDelayNanos;
  private final boolean costKnown;
  @SuppressWarnings("unused") // through STATE
  private volatile int state;
  /** The next reservation on the manager's stack of new ones ({@link OpenReservations}). */
  Reservation nextOpen;

  Reservation(BudgetManager manager, Chain chain, long id, long amountPico, long reservedAtMillis, long deadlineMillis,
      long throttleDelayNanos, boolean costKnown) {
    this.manager = manager;
    this.chain = chain;
    this.id = id;
    this.amountPico = amountPico;
    this.reservedAtMillis = reservedAtMillis;
    this.deadlineMillis = deadlineMillis;
    this.throttleDelayNanos = throttleDelayNanos;
    this.costKnown = costKnown;
  }

  /** A process-unique id, increasing (a shared store may key reservations by it). */
  public long id() {
    return id;
  }

  /** The amount held, in pico-units (0 when admitted with an unknown cost). */
  public long amountPico() {
    return amountPico;
  }

  /** The amount held. */
  public Money amount() {
    return Pico.money(amountPico, manager.currency());
  }

  /** False when the work was admitted without an estimate ({@link UnknownCostPolicy#FAIL_OPEN}). */
  public boolean isCostKnown() {
    return costKnown;
  }

  /**
   * THROTTLE: how long the caller should wait before starting the work ({@link Duration#ZERO} when no
   * budget of the chain throttles). Admission itself never sleeps.
   */
  public Duration throttleDelay() {
    return throttleDelayNanos == 0 ? Duration.ZERO : Duration.ofNanos(throttleDelayNanos);
  }

  public Instant reservedAt() {
    return Instant.ofEpochMilli(reservedAtMillis);
  }

  public State state() {
    return STATES[state];
  }

  public boolean isOpen() {
    return state == OPEN;
  }

  /**
   * Settles to the actual cost of priced usage. Usage the catalogs could not price (an unpriced
   * result) settles to the full reserved amount: conservative, never zero.
   *
   * @return true if this call settled the reservation; false if it had already ended
   * @throws CurrencyMismatchException if the usage is priced in another currency than the budgets
   */
  public boolean settle(PricedUsage actual) {
    Objects.requireNonNull(actual, "actual");
    if (!actual.isPriced()) {
      return manager.settleUnpriced(this);
    }
    requireCurrency(actual.total());
    return manager.settle(this, actual.hasFixedPointTotal() ? actual.totalPico() : Pico.ceil(actual.total()));
  }

  /**
   * Settles to an actual cost (rounded up to the pico).
   *
   * @return true if this call settled the reservation; false if it had already ended
   * @throws CurrencyMismatchException if the cost is in another currency than the budgets
   */
  public boolean settle(Money actual) {
    requireCurrency(Objects.requireNonNull(actual, "actual"));
    return manager.settle(this, Pico.ceil(actual));
  }

  /**
   * Settles to an actual cost in pico-units.
   *
   * @return true if this call settled the reservation; false if it had already ended
   */
  public boolean settlePico(long actualPico) {
    if (actualPico < 0) {
      throw new IllegalArgumentException("an actual cost must not be negative: " + actualPico);
    }
    return manager.settle(this, actualPico);
  }

  /**
   * Releases the reservation unused (the work did not run, or failed before it cost anything).
   *
   * @return true if this call released it; false if it had already ended
   */
  public boolean release() {
    return manager.release(this);
  }

  /** Releases the reservation if it is still open; does nothing otherwise. */
  @Override
  public void close() {
    if (isOpen()) {
      release();
    }
  }

  private void requireCurrency(Money m) {
    if (!m.currency().equals(manager.currency())) {
      throw new CurrencyMismatchException(manager.currency(), m.currency());
    }
  }

  /** Ends the reservation in state {@code to}; true for the one caller that did. */
  boolean finish(int to) {
    return STATE.compareAndSet(this, OPEN, to);
  }

  @Override
  public String toString() {
    return "Reservation{#" + id + ", " + amount() + ", " + state() + "}";
  }
}

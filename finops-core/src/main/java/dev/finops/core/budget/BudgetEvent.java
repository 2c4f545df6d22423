package dev.finops.core.budget;

import dev.finops.core.internal.Decimals;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * Something a budget window did or saw, with the window's {@link BudgetStatus} at that moment (burn
 * rate and projected exhaustion included). Immutable. Each type fires at most once per window period
 * (per reservation for {@link Type#RESERVATION_EXPIRED}).
 */
public final class BudgetEvent {

  /** What happened. */
  public enum Type {
    /** NOTIFY: settled spend reached a {@link Budget#notifyThresholds() threshold} ({@link #threshold()}). */
    THRESHOLD,
    /** THROTTLE: the first admission of the period that answered with a delay or hit the concurrency cap. */
    THROTTLED,
    /** DENY: the first reservation of the period refused at the limit. */
    LIMIT_REACHED,
    /**
     * TERMINATE: settled spend reached the {@link Budget#terminateThreshold() threshold} ({@link
     * #threshold()}), or a GPU lease in the scope could not be renewed ({@link #threshold()} is then
     * {@code null}); running work in the scope was asked to stop.
     */
    TERMINATE,
    /** A reservation was neither settled nor released before its TTL; it was settled to its full amount. */
    RESERVATION_EXPIRED
  }

  private final Type type;
  private final BigDecimal threshold;
  private final BudgetStatus status;
  private final String message;

  BudgetEvent(Type type, BigDecimal threshold, BudgetStatus status, String message) {
    this.type = type;
    this.threshold = threshold;
    this.status = status;
    this.message = message;
  }

  public Type type() {
    return type;
  }

  public Budget budget() {
    return status.budget();
  }

  public Window window() {
    return status.window();
  }

  /** The fraction of the limit that was reached, for {@link Type#THRESHOLD} and {@link Type#TERMINATE}. */
  public BigDecimal threshold() {
    return threshold;
  }

  /** The window's figures when the event happened. */
  public BudgetStatus status() {
    return status;
  }

  /** A sentence for people: which budget, which window, what happened, the figures. */
  public String message() {
    return message;
  }

  public Instant at() {
    return status.at();
  }

  @Override
  public String toString() {
    return type + ": " + message;
  }

  /** Equal when type, threshold (as a number), status and message are equal. */
  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof BudgetEvent)) {
      return false;
    }
    BudgetEvent o = (BudgetEvent) other;
    return Objects.equals(type, o.type)
        && Decimals.sameValue(threshold, o.threshold)
        && Objects.equals(status, o.status)
        && Objects.equals(message, o.message);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, Decimals.valueHash(threshold), status, message);
  }
}

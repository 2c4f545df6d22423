package dev.finops.core.ledger;

import dev.finops.core.Money;
import dev.finops.core.UsageBucket;
import dev.finops.core.pricing.PriceKey;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A what-if that changes recorded quantities, not only prices: recommendations applied one after
 * another to a {@link LedgerSnapshot}, each re-priced exactly. Where {@link Repricing} swaps the price
 * of the same quantities ("this run on spot"), a change here may drop usage ("no replica in the idle
 * hours"), shrink it ("the same work in a third of the GPU time"), or move part of it elsewhere
 * ("these calls to another model"). Every change is a {@link Line} with its evidence, its assumption,
 * and the exact cost of the entries it touched before and after it; the lines add up: the total after
 * is the total before less the sum of the lines' savings.
 *
 * <pre>{@code
 * WhatIf.Result r = WhatIf.on(snapshot)
 *     .change("idle replicas", "no request 00:00-06:00", "a cold start is acceptable",
 *         e -> "chat".equals(e.tags().get("endpoint")) && e.startMillis() < sixAm, WhatIf.drop())
 *     .apply();
 * }</pre>
 *
 * Changes run in the order given, each on the entries the previous ones left. Immutable; {@link #apply}
 * may be called more than once.
 */
public final class WhatIf {

  /** What a change makes of one entry: the entries that replace it (none to drop it). */
  @FunctionalInterface
  public interface Edit {
    List<LedgerSnapshot.Entry> apply(LedgerSnapshot.Entry entry);
  }

  /** Part of an entry's usage: quantities by bucket ordinal and a record count. */
  public record Part(long[] quantities, long records) {
    public Part {
      quantities = quantities.clone();
    }

    /** Nothing. */
    public static Part none() {
      return new Part(new long[UsageBucket.COUNT], 0);
    }

    /**
     * {@code fraction} of an entry's usage ("a third of these calls"): every quantity and the record count
     * × {@code fraction}, each rounded HALF_EVEN to a whole unit as {@link #scaled} does.
     *
     * @throws IllegalArgumentException if {@code fraction} is not within [0, 1]
     */
    public static Part share(LedgerSnapshot.Entry entry, BigDecimal fraction) {
      if (fraction.signum() < 0 || fraction.compareTo(BigDecimal.ONE) > 0) {
        throw new IllegalArgumentException("fraction: " + fraction.toPlainString() + " is not within [0, 1]");
      }
      long[] q = entry.quantities();
      for (int i = 0; i < q.length; i++) {
        q[i] = scaled(q[i], fraction);
      }
      return new Part(q, scaled(entry.records(), fraction));
    }
  }

  /**
   * One applied change.
   *
   * @param name what was done
   * @param evidence the measurements it rests on
   * @param assumption what it takes for granted
   * @param entries how many ledger entries it touched
   * @param before the exact cost of those entries before the change
   * @param after the exact cost of what replaced them
   */
  public record Line(String name, String evidence, String assumption, int entries, Money before, Money after) {
    public Line {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(evidence, "evidence");
      Objects.requireNonNull(assumption, "assumption");
    }

    /** {@code before - after}, exact. */
    public Money saving() {
      return before.minus(after);
    }
  }

  /** The snapshot before and after every change, and one line per change. */
  public record Result(LedgerSnapshot before, LedgerSnapshot after, List<Line> lines) {
    public Result {
      lines = List.copyOf(lines);
    }

    /** The whole snapshot's cost before the changes. */
    public Money totalBefore() {
      return before.total().cost();
    }

    /** The whole snapshot's cost after them. */
    public Money totalAfter() {
      return after.total().cost();
    }

    /** {@code totalBefore - totalAfter}: also the sum of the lines' savings. */
    public Money saving() {
      return totalBefore().minus(totalAfter());
    }

    /** The saving as a share of the cost before, HALF_EVEN at {@code scale}; {@code null} at zero cost. */
    public BigDecimal savingShare(int scale) {
      Money b = totalBefore();
      return b.isZero() ? null : saving().ratio(b, scale);
    }
  }

  private record Change(String name, String evidence, String assumption, Predicate<LedgerSnapshot.Entry> which,
      Edit edit) {}

  private final LedgerSnapshot base;
  private final List<Change> changes;

  private WhatIf(LedgerSnapshot base, List<Change> changes) {
    this.base = base;
    this.changes = changes;
  }

  /** A what-if on {@code snapshot}, with no change yet. */
  public static WhatIf on(LedgerSnapshot snapshot) {
    return new WhatIf(Objects.requireNonNull(snapshot, "snapshot"), List.of());
  }

  /**
   * This what-if with one more change: every entry that {@code which} accepts (among those the earlier
   * changes left) is replaced by what {@code edit} makes of it.
   */
  public WhatIf change(String name, String evidence, String assumption, Predicate<LedgerSnapshot.Entry> which,
      Edit edit) {
    List<Change> more = new ArrayList<>(changes);
    more.add(new Change(Objects.requireNonNull(name, "name"), Objects.requireNonNull(evidence, "evidence"),
        Objects.requireNonNull(assumption, "assumption"), Objects.requireNonNull(which, "which"),
        Objects.requireNonNull(edit, "edit")));
    return new WhatIf(base, Collections.unmodifiableList(more));
  }

  /**
   * Applies the changes in order.
   *
   * @throws IllegalArgumentException naming the change if it matches no entry (a recommendation that
   *     touches nothing is a mistake, not a zero saving) or its edit returns an invalid entry
   */
  public Result apply() {
    List<LedgerSnapshot.Entry> current = new ArrayList<>(base.entries());
    List<Line> lines = new ArrayList<>();
    for (Change c : changes) {
      List<LedgerSnapshot.Entry> next = new ArrayList<>(current.size());
      List<LedgerSnapshot.Entry> touched = new ArrayList<>();
      List<LedgerSnapshot.Entry> made = new ArrayList<>();
      for (LedgerSnapshot.Entry e : current) {
        if (!c.which().test(e)) {
          next.add(e);
          continue;
        }
        touched.add(e);
        List<LedgerSnapshot.Entry> replaced;
        try {
          replaced = Objects.requireNonNull(c.edit().apply(e), "the edit returned null");
        } catch (RuntimeException ex) {
          throw new IllegalArgumentException("change '" + c.name() + "': " + ex.getMessage(), ex);
        }
        for (LedgerSnapshot.Entry r : replaced) {
          if (r.tags() != e.tags() || r.startMillis() != e.startMillis() || r.endMillis() != e.endMillis()) {
            throw new IllegalArgumentException("change '" + c.name() + "': an edit keeps the entry's tags and time"
                + " slot (use LedgerSnapshot.Entry.withUsage): " + r);
          }
        }
        made.addAll(replaced);
        next.addAll(replaced);
      }
      if (touched.isEmpty()) {
        throw new IllegalArgumentException("change '" + c.name() + "' matches no entry");
      }
      lines.add(new Line(c.name(), c.evidence(), c.assumption(), touched.size(),
          LedgerSnapshot.of(touched, base.takenAtMillis()).total().cost(),
          made.isEmpty() ? Money.zero(touched.get(0).key().currency())
              : LedgerSnapshot.of(made, base.takenAtMillis()).total().cost()));
      current = next;
    }
    return new Result(base, base.with(current), lines);
  }

  /** Drops the entry: its usage did not happen. */
  public static Edit drop() {
    return e -> List.of();
  }

  /** The same quantities under the key {@code to} returns (as {@link LedgerSnapshot#reprice}). */
  public static Edit reprice(Function<LedgerSnapshot.Entry, PriceKey> to) {
    Objects.requireNonNull(to, "to");
    return e -> List.of(e.withKey(Objects.requireNonNull(to.apply(e), "the new key is null")));
  }

  /**
   * Every quantity × {@code factor}, rounded HALF_EVEN to a whole unit (a token, a GPU-millisecond), under
   * the key {@code to} returns; the record count is kept. "The same work in a third of the GPU time on a
   * faster GPU".
   */
  public static Edit scale(BigDecimal factor, Function<LedgerSnapshot.Entry, PriceKey> to) {
    Objects.requireNonNull(factor, "factor");
    Objects.requireNonNull(to, "to");
    if (factor.signum() < 0) {
      throw new IllegalArgumentException("factor: negative (" + factor.toPlainString() + ")");
    }
    return e -> {
      long[] q = e.quantities();
      for (int i = 0; i < q.length; i++) {
        q[i] = scaled(q[i], factor);
      }
      return List.of(e.withUsage(Objects.requireNonNull(to.apply(e), "the new key is null"), q, e.records()));
    };
  }

  /** {@code quantity × factor} rounded HALF_EVEN to a whole unit: the rounding {@link #scale} applies. */
  public static long scaled(long quantity, BigDecimal factor) {
    return BigDecimal.valueOf(quantity).multiply(factor).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
  }

  /**
   * Moves {@code part} of each entry to the key {@code to} returns, or drops it when {@code to} is
   * {@code null}; the rest stays as it was. "These calls to another model", "these replica-minutes
   * gone". An entry left with no quantity and no record disappears.
   *
   * @throws IllegalArgumentException (when applied) if the part exceeds the entry in any bucket or in records
   */
  public static Edit split(Function<LedgerSnapshot.Entry, Part> part, Function<LedgerSnapshot.Entry, PriceKey> to) {
    Objects.requireNonNull(part, "part");
    return e -> {
      Part p = Objects.requireNonNull(part.apply(e), "the part is null");
      long[] q = e.quantities();
      long[] moved = p.quantities();
      if (moved.length != q.length) {
        throw new IllegalArgumentException("part: need " + q.length + " buckets, got " + moved.length);
      }
      boolean left = false;
      for (int i = 0; i < q.length; i++) {
        if (moved[i] < 0 || moved[i] > q[i]) {
          throw new IllegalArgumentException("part: " + UsageBucket.ofOrdinal(i) + " " + moved[i]
              + " is not within the entry's " + q[i] + " (" + e + ")");
        }
        q[i] -= moved[i];
        left |= q[i] != 0;
      }
      if (p.records() < 0 || p.records() > e.records()) {
        throw new IllegalArgumentException("part: " + p.records() + " records is not within the entry's "
            + e.records() + " (" + e + ")");
      }
      long rest = e.records() - p.records();
      List<LedgerSnapshot.Entry> out = new ArrayList<>(2);
      if (left || rest != 0) {
        out.add(e.withUsage(e.key(), q, rest));
      }
      if (to != null) {
        out.add(e.withUsage(Objects.requireNonNull(to.apply(e), "the new key is null"), moved, p.records()));
      }
      return out;
    };
  }
}

package dev.finops.core.ledger;

import java.math.BigInteger;

/**
 * Exact sums of non-negative counters that may pass 64 bits: a long per index while it fits, and a
 * {@link BigInteger} carry for an index once its sum would not (allocated only then). For reads:
 * snapshots and compaction sum slot counters here, so no total ever wraps.
 */
final class WideSums {

  private final long[] low;
  private BigInteger[] carry; // null until a sum passes 64 bits

  WideSums(int width) {
    this.low = new long[width];
  }

  int width() {
    return low.length;
  }

  /** Adds {@code v} to index {@code i}, exactly. */
  void add(int i, long v) {
    long a = low[i];
    long s = a + v;
    if (((a ^ s) & (v ^ s)) < 0) { // the long sum overflowed: move what was there into the carry
      carry(i, BigInteger.valueOf(a));
      low[i] = v;
    } else {
      low[i] = s;
    }
  }

  /** Adds {@code v} to index {@code i}, exactly. */
  void add(int i, BigInteger v) {
    if (v.bitLength() < 64) {
      add(i, v.longValue());
    } else {
      carry(i, v);
    }
  }

  /** Adds every index of {@code other}. */
  void addAll(WideSums other) {
    for (int i = 0; i < low.length; i++) {
      add(i, other.low[i]);
      if (other.carry != null && other.carry[i] != null) {
        carry(i, other.carry[i]);
      }
    }
  }

  private void carry(int i, BigInteger v) {
    if (carry == null) {
      carry = new BigInteger[low.length];
    }
    carry[i] = carry[i] == null ? v : carry[i].add(v);
  }

  /** True when index {@code i}'s sum is a long ({@link #get(int)} is then exact). */
  boolean fitsLong(int i) {
    return carry == null || carry[i] == null || exact(i).bitLength() < 64;
  }

  /** The sum at index {@code i}, exactly. */
  BigInteger exact(int i) {
    BigInteger l = BigInteger.valueOf(low[i]);
    return carry == null || carry[i] == null ? l : carry[i].add(l);
  }

  /** The sum at index {@code i} as a long; call only when {@link #fitsLong(int)}. */
  long get(int i) {
    return carry == null || carry[i] == null ? low[i] : exact(i).longValueExact();
  }

  boolean isZero() {
    for (int i = 0; i < low.length; i++) {
      if (low[i] != 0 || (carry != null && carry[i] != null && carry[i].signum() != 0)) {
        return false;
      }
    }
    return true;
  }

  /** True when some index passed 64 bits. */
  boolean isWide() {
    for (int i = 0; i < low.length; i++) {
      if (!fitsLong(i)) {
        return true;
      }
    }
    return false;
  }
}

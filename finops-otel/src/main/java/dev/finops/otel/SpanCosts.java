package dev.finops.otel;

import dev.finops.core.Tags;
import dev.finops.core.Usage;
import dev.finops.core.pricing.PricedUsage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.sdk.trace.ReadableSpan;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.LongAdder;

/**
 * The span costs written at export: the request thread leaves a span's outcome (usage, priced usage,
 * tags) here, keyed by its {@link SpanContext}, instead of writing attributes on the span (each of which
 * takes the SDK span's lock), and the {@link CostSpanExporter} takes it back at export and adds the
 * attributes to the exported span. Loaded only once the SDK is known to be there.
 *
 * <p>A fixed open-addressed table of power-of-two size: a put probes {@value #PROBES} slots from the
 * span id's home slot and takes the first free (or stale) one, claiming it with one CAS on the slot's stamp (odd
 * while claimed, a seqlock); nothing is allocated. Nothing is ever overwritten while it may still be
 * exported: when the probed slots are all taken by entries younger than {@value #STALE_MILLIS} ms of
 * export time, the put fails ({@link #overflowed()}) and the caller writes the attributes on the span as
 * before, so a full table costs time, never an attribute and never a double count. Entries older than
 * that belong to spans that will not be exported here (dropped by a full export queue, exported by a
 * pipeline without this exporter, tagged after their end) and are evicted by a put that needs the slot
 * ({@link #evicted()}), so they cannot accumulate. Ten minutes is longer than a batch processor keeps
 * a span queued even with a stuck exporter (its queue of 2,048 spans in batches of 512, 30 s timeout
 * each): a span whose entry were evicted before its export would miss its attributes, and the exporter
 * could then price it a second time from its usage attributes. Export time is the clock reading the exporter hands
 * to {@link #exportedAt} on each export: the request thread reads no clock.
 */
final class SpanCosts {
  /** Slots a put or a take looks at, from the home slot on. */
  static final int PROBES = 8;
  /** How long (export time) an entry is kept before a put may evict it. */
  static final long STALE_MILLIS = 600_000;
  static final int MIN_SLOTS = 16;
  static final int MAX_SLOTS = 1 << 20;

  private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
  private static final VarHandle NOW;

  static {
    try {
      NOW = MethodHandles.lookup().findVarHandle(SpanCosts.class, "nowMillis", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Per slot: the span context, the usage, the priced usage, the tags. */
  private final Object[] refs;
  /** Per slot: the stamp (odd while a thread holds the slot), then the put time shifted left once, its low bit set for {@link Entry#modelAndProvider}. */
  private final long[] meta;
  private final int shift;
  private final int mask;
  @SuppressWarnings("unused") // through NOW
  private long nowMillis;
  private final LongAdder evicted = new LongAdder();
  private final LongAdder overflowed = new LongAdder();

  /** A table of {@code slots} (rounded up to a power of two, {@value #MIN_SLOTS} to 2<sup>20</sup>). */
  SpanCosts(int slots, long nowMillis) {
    if (slots < 1 || slots > MAX_SLOTS) {
      throw new IllegalArgumentException("span cost slots must be between 1 and " + MAX_SLOTS + ": " + slots);
    }
    int size = Math.max(MIN_SLOTS, Integer.highestOneBit(slots - 1) << 1);
    this.refs = new Object[size * 4];
    this.meta = new long[size * 2];
    this.mask = size - 1;
    this.shift = 64 - Integer.numberOfTrailingZeros(size);
    this.nowMillis = nowMillis;
  }

  /** The outcome of a span, as the request thread left it. */
  record Entry(boolean modelAndProvider, Usage usage, PricedUsage priced, Tags tags) {}

  int slots() {
    return mask + 1;
  }

  /**
   * Leaves the outcome of {@code span} for its export: false, and nothing stored, for a span that is
   * not an SDK span or not sampled (it will not be exported), or when the table is full.
   */
  boolean put(Span span, boolean modelAndProvider, Usage usage, PricedUsage priced, Tags tags) {
    if (!(span instanceof ReadableSpan)) {
      return false;
    }
    SpanContext context = span.getSpanContext();
    if (!context.isSampled()) {
      return false;
    }
    long now = (long) NOW.getOpaque(this);
    int home = home(context.getSpanId());
    for (int i = 0; i < PROBES; i++) {
      int slot = (home + i) & mask;
      long stamp = unheldStamp(slot);
      if (stamp < 0) {
        continue;
      }
      boolean free = refs[slot * 4] == null;
      if ((free || now - (meta[slot * 2 + 1] >>> 1) > STALE_MILLIS)
          && LONGS.compareAndSet(meta, slot * 2, stamp, stamp + 1)) {
        if (!free) {
          evicted.increment();
        }
        write(slot, stamp, context, modelAndProvider, usage, priced, tags, now);
        return true;
      }
    }
    overflowed.increment();
    return false;
  }

  private void write(int slot, long stamp, SpanContext context, boolean modelAndProvider, Usage usage,
      PricedUsage priced, Tags tags, long now) {
    int r = slot * 4;
    refs[r] = context;
    refs[r + 1] = usage;
    refs[r + 2] = priced;
    refs[r + 3] = tags;
    meta[slot * 2 + 1] = now << 1 | (modelAndProvider ? 1 : 0);
    LONGS.setRelease(meta, slot * 2, stamp + 2);
  }

  /**
   * Removes and returns the outcome left for the span of {@code context}, or {@code null}. A slot held
   * by a put (odd stamp) is skipped: a put claims only a free or stale slot, never one that holds the
   * outcome of a span on its way to export, whose put finished before the span ended.
   */
  Entry take(SpanContext context) {
    int home = home(context.getSpanId());
    for (int i = 0; i < PROBES; i++) {
      int slot = (home + i) & mask;
      long stamp = unheldStamp(slot);
      Object key = stamp < 0 ? null : refs[slot * 4];
      if (key == null || !(key == context || key.equals(context))
          || !LONGS.compareAndSet(meta, slot * 2, stamp, stamp + 1)) {
        continue;
      }
      int r = slot * 4;
      Entry e = new Entry((meta[slot * 2 + 1] & 1) != 0, (Usage) refs[r + 1], (PricedUsage) refs[r + 2],
          (Tags) refs[r + 3]);
      refs[r] = null;
      refs[r + 1] = null;
      refs[r + 2] = null;
      refs[r + 3] = null;
      LONGS.setRelease(meta, slot * 2, stamp + 2);
      return e;
    }
    return null;
  }

  /** The slot's stamp (acquire), or -1 while a thread holds the slot (odd stamp). */
  private long unheldStamp(int slot) {
    long stamp = (long) LONGS.getAcquire(meta, slot * 2);
    return (stamp & 1) != 0 ? -1 : stamp;
  }

  /** The exporter's clock at an export: entries older than {@value #STALE_MILLIS} ms of it may be evicted. */
  void exportedAt(long nowMillis) {
    NOW.setOpaque(this, nowMillis);
  }

  /** Entries in the table now (a scan; for tests and diagnostics). */
  int size() {
    int n = 0;
    for (int slot = 0; slot <= mask; slot++) {
      if (refs[slot * 4] != null) {
        n++;
      }
    }
    return n;
  }

  long evicted() {
    return evicted.sum();
  }

  long overflowed() {
    return overflowed.sum();
  }

  /**
   * The home slot of a span id: the SDK's ids are 16 random hex digits, of which the last eight are
   * mixed (a multiplicative hash), without computing the string's hash.
   */
  private int home(String spanId) {
    int n = spanId.length();
    long x;
    if (n >= 8) {
      x = spanId.charAt(n - 1) | (long) spanId.charAt(n - 2) << 8 | (long) spanId.charAt(n - 3) << 16
          | (long) spanId.charAt(n - 4) << 24 | (long) spanId.charAt(n - 5) << 32
          | (long) spanId.charAt(n - 6) << 40 | (long) spanId.charAt(n - 7) << 48
          | (long) spanId.charAt(n - 8) << 56;
    } else {
      x = spanId.hashCode();
    }
    return (int) ((x * 0x9E3779B97F4A7C15L) >>> shift);
  }
}

package dev.finops.otel;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The response ids of the calls recorded lately, by whichever path saw them first: a bounded,
 * time-windowed set whose expiry costs nothing per id. Ids go into the current generation; when it is
 * a window old, or holds half the maximum, the claim that sees it makes it the previous generation
 * (still consulted) and drops the one before whole, for the garbage collector. So an id is remembered
 * for at least the window unless more than half the maximum of ids are claimed after it, is forgotten
 * at a claim one to two windows later, and never more than the maximum are held. A claim is one lookup and one {@code putIfAbsent} on {@link
 * ConcurrentHashMap}s, no lock, no clock read (the caller passes the time it has), no maintenance on
 * the caller's thread beyond an occasional generation swap. A new generation's map is sized for as many
 * ids as the one it replaces took, so at a steady rate claims never wait for a map to grow (growing a
 * {@code ConcurrentHashMap} copies it: at a million unique ids a second that copying was a third of
 * a claim's cost). Thread-safe: of concurrent claims of one id, one wins, a generation swap included.
 */
final class RecentIds {
  private final long windowMillis;
  private final int perGeneration;
  private volatile Generation current;

  /** Ids remembered for {@code window}, at most {@code maxIds} of them; the first generation starts at {@code nowMillis}. */
  RecentIds(Duration window, long maxIds, long nowMillis) {
    this.windowMillis = Math.max(1, window.toMillis());
    this.perGeneration = (int) Math.max(1, Math.min(Integer.MAX_VALUE, maxIds / 2));
    this.current = new Generation(nowMillis, null, 0);
  }

  /** A blank id ({@code ""}, white space) is no id: {@code null}. */
  static String normalize(String responseId) {
    return responseId == null || responseId.isBlank() ? null : responseId;
  }

  /** True when {@code id} was claimed lately (and not released). Cheap: a dedup check before pricing. */
  boolean isClaimed(String id) {
    return check(id) == null;
  }

  /**
   * The dedup check before pricing: {@code null} when {@code id} was claimed lately, else a token to
   * hand to {@link #claim(String, long, Object)}, which then skips the lookups made here.
   */
  Object check(String id) {
    Generation g = current;
    if (g.ids.containsKey(id)) {
      return null;
    }
    Generation p = g.previous;
    return p != null && p.ids.containsKey(id) ? null : g;
  }

  /**
   * Claims {@code id} for the path asking: true the first time, false when it was claimed lately.
   *
   * @param nowMillis the caller's idea of the time (epoch millis), which drives the generations
   */
  boolean claim(String id, long nowMillis) {
    return claim(id, nowMillis, null);
  }

  /**
   * {@link #claim(String, long)} after {@link #check} answered {@code checked}: while the generation it
   * checked is still the current one, the previous generation (checked then, and into which nothing
   * is claimed since) is not looked at again.
   */
  boolean claim(String id, long nowMillis, Object checked) {
    Generation g = current;
    if (g != checked) {
      Generation p = g.previous;
      if (p != null && p.ids.containsKey(id)) {
        return false;
      }
    }
    if (g.ids.putIfAbsent(id, Boolean.TRUE) != null) {
      return false;
    }
    // A swap after we read `current` may have let a claim in the newer generation miss ours: the
    // newest generation decides, as it does for everyone else.
    for (Generation now = current; now != g; now = current) {
      if (now.ids.putIfAbsent(id, Boolean.TRUE) != null) {
        return false;
      }
      g = now;
    }
    if (g.ids.size() >= perGeneration || nowMillis - g.startMillis >= windowMillis) {
      swap(g, nowMillis);
    }
    return true;
  }

  /** Forgets a claim (the claiming path could not record the call after all), so another path may. */
  void release(String id) {
    Generation g = current;
    g.ids.remove(id);
    Generation p = g.previous;
    if (p != null) {
      p.ids.remove(id);
    }
  }

  private synchronized void swap(Generation full, long nowMillis) {
    if (current != full) {
      return; // another thread swapped it
    }
    Generation next = new Generation(nowMillis, full, Math.min(perGeneration, full.ids.size()));
    full.previous = null; // the generation before goes whole
    current = next;
  }

  /** One generation of ids and when it started. */
  private static final class Generation {
    final ConcurrentHashMap<String, Boolean> ids;
    final long startMillis;
    volatile Generation previous;

    /** {@code expectedIds}: how many ids it is expected to take (its map is sized for them up front). */
    Generation(long startMillis, Generation previous, int expectedIds) {
      this.ids = new ConcurrentHashMap<>(Math.max(16, expectedIds));
      this.startMillis = startMillis;
      this.previous = previous;
    }
  }

  @Override
  public String toString() {
    Generation g = current;
    Generation p = g.previous;
    return "RecentIds{" + (g.ids.size() + (p == null ? 0 : p.ids.size())) + "}";
  }
}

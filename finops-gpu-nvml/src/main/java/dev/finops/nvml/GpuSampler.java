package dev.finops.nvml;

import dev.finops.core.Clock;
import dev.finops.core.gpu.GpuSample;
import dev.finops.core.gpu.GpuSampleSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples an {@link NvmlSession} periodically on a daemon thread, keeps a bounded ring buffer of
 * recent rounds and publishes each round to its listeners: the {@link GpuSampleSource} that cost
 * feeds ({@link dev.finops.core.gpu.TrainingRunGpuFeed}, {@link dev.finops.core.gpu.GpuEnergyFeed})
 * and gauges read.
 *
 * <pre>{@code
 * try (NvmlSession nvml = Nvml.open();
 *     GpuSampler sampler = GpuSampler.builder(nvml).clock(finops.clock()).build().start()) {
 *   TrainingRunGpuFeed.attach(sampler, run, GpuSelection.gpus(uuids));
 *   ...
 * }
 * }</pre>
 *
 * <p>Timestamps come from the injected {@link Clock}; tests call {@link #sampleOnce()} instead of
 * starting the thread. Closing the sampler stops the thread; the session stays open (its owner
 * closes it). Thread-safe.
 */
public final class GpuSampler implements GpuSampleSource, AutoCloseable {

  /** The name of the sampling thread. */
  public static final String THREAD_NAME = "finops-gpu-sampler";

  private static final Logger log = LoggerFactory.getLogger(GpuSampler.class);

  private final NvmlSession session;
  private final Clock clock;
  private final Duration period;
  private final List<GpuSample>[] ring;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private int head; // next slot to write
  private int size;
  private long rounds;
  private long listenerFailures;
  private ScheduledExecutorService thread;
  private boolean closed;

  @SuppressWarnings("unchecked")
  private GpuSampler(Builder b) {
    this.session = b.session;
    this.clock = b.clock;
    this.period = b.period;
    this.ring = (List<GpuSample>[]) new List<?>[b.capacity];
  }

  /** Starts configuring a sampler of {@code session}. */
  public static Builder builder(NvmlSession session) {
    return new Builder(session);
  }

  /**
   * Starts sampling every {@code period} on a daemon thread named {@value #THREAD_NAME}, the first
   * round at once. Idempotent.
   *
   * @throws IllegalStateException if the sampler is closed
   */
  public synchronized GpuSampler start() {
    if (closed) {
      throw new IllegalStateException("the GPU sampler is closed");
    }
    if (thread == null) {
      thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, THREAD_NAME);
        t.setDaemon(true);
        return t;
      });
      long nanos = period.toNanos();
      thread.scheduleAtFixedRate(this::tick, 0, nanos, TimeUnit.NANOSECONDS);
    }
    return this;
  }

  private void tick() {
    try {
      sampleOnce();
    } catch (IllegalStateException closedSession) {
      log.info("GPU sampling stopped: {}", closedSession.getMessage());
      thread.shutdown();
    } catch (RuntimeException e) { // keep the schedule alive: one bad round is not the end
      log.warn("GPU sampling failed; trying again next period", e);
    }
  }

  /**
   * Takes one round now (at the clock's time), keeps it and hands it to the listeners; returns it.
   *
   * @throws IllegalStateException if the session is closed
   */
  public List<GpuSample> sampleOnce() {
    List<GpuSample> round = session.sample(clock.wallTimeMillis());
    synchronized (this) {
      ring[head] = round;
      head = (head + 1) % ring.length;
      size = Math.min(size + 1, ring.length);
      rounds++;
    }
    for (Listener l : listeners) {
      try {
        l.onSamples(round);
      } catch (RuntimeException e) {
        if (countFailure() == 1) {
          log.warn("a GPU sample listener failed ({}); further failures are counted, not logged", l, e);
        }
      }
    }
    return round;
  }

  private synchronized long countFailure() {
    return ++listenerFailures;
  }

  @Override
  public synchronized List<GpuSample> latest() {
    return size == 0 ? List.of() : ring[(head - 1 + ring.length) % ring.length];
  }

  /** The rounds kept (at most the capacity), oldest first, flattened: each round in device order. */
  public synchronized List<GpuSample> recent() {
    List<GpuSample> all = new ArrayList<>();
    for (int k = 0; k < size; k++) {
      all.addAll(ring[(head - size + k + ring.length) % ring.length]);
    }
    return all;
  }

  /** Rounds taken since the sampler was built. */
  public synchronized long rounds() {
    return rounds;
  }

  /** How many times a listener threw (the first is logged). */
  public synchronized long listenerFailures() {
    return listenerFailures;
  }

  public Duration period() {
    return period;
  }

  @Override
  public void addListener(Listener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public void removeListener(Listener listener) {
    listeners.remove(listener);
  }

  /** Stops the thread (waiting up to a second for a round in progress). The session stays open. */
  @Override
  public void close() {
    ScheduledExecutorService t;
    synchronized (this) {
      closed = true;
      t = thread;
    }
    if (t != null) {
      t.shutdownNow();
      try {
        t.awaitTermination(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** True while the sampling thread runs. */
  public synchronized boolean isRunning() {
    return thread != null && !thread.isTerminated();
  }

  /** Configures a {@link GpuSampler}. */
  public static final class Builder {
    private final NvmlSession session;
    private Clock clock = Clock.system();
    private Duration period = Duration.ofSeconds(1);
    private int capacity = 300;

    private Builder(NvmlSession session) {
      this.session = Objects.requireNonNull(session, "session");
    }

    /** The source of sample timestamps (default {@link Clock#system()}). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Time between rounds (default 1 s; at least 1 ms). */
    public Builder period(Duration period) {
      if (period.compareTo(Duration.ofMillis(1)) < 0) {
        throw new IllegalArgumentException("the sampling period must be at least 1 ms: " + period);
      }
      this.period = period;
      return this;
    }

    /** How many recent rounds to keep (default 300: five minutes at 1 s). */
    public Builder capacity(int rounds) {
      if (rounds < 1) {
        throw new IllegalArgumentException("capacity must be at least 1 round: " + rounds);
      }
      this.capacity = rounds;
      return this;
    }

    public GpuSampler build() {
      return new GpuSampler(this);
    }
  }
}

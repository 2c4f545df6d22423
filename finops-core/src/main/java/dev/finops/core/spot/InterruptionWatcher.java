package dev.finops.core.spot;

import dev.finops.core.Clock;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a cloud's instance metadata service for a spot interruption notice and tells its listeners
 * once: AWS's IMDSv2 {@code spot/instance-action} ({@link #aws()}), GCP's {@code
 * instance/preempted} ({@link #gcp()}) or Azure's Scheduled Events, a {@code Preempt} event for this
 * Spot VM ({@link #azure()}). Polls every {@linkplain Builder#pollPeriod period} (default 5 s, as AWS
 * recommends; its notice comes about two minutes ahead, GCP's and Azure's about 30 s) with short
 * timeouts, on an injectable executor and clock; errors and timeouts are counted, logged once, and
 * polling carries on. After a notice the watcher stops polling.
 *
 * <pre>{@code
 * try (InterruptionWatcher w = InterruptionWatcher.aws()
 *     .listener(run.interruptionListener(() -> trainer.saveCheckpoint()))
 *     .build().start()) {
 *   ... train ...
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class InterruptionWatcher implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(InterruptionWatcher.class);

  /** AWS recommends polling every five seconds. */
  public static final Duration DEFAULT_POLL_PERIOD = Duration.ofSeconds(5);
  /** The default timeout of one request (the metadata service is link-local and fast). */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(2);
  /** The default lifetime of an IMDSv2 token: six hours. */
  public static final Duration DEFAULT_TOKEN_TTL = Duration.ofSeconds(21_600);

  private final MetadataProbe probe;
  private final URI base;
  private final Duration period;
  private final Duration timeout;
  private final Clock clock;
  private final HttpClient client;
  private final ScheduledExecutorService executor;
  private final boolean ownsExecutor;
  private final List<InterruptionListener> listeners;
  private final AtomicLong polls = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private volatile String lastError;
  private volatile InterruptionNotice notice;
  private volatile boolean closed;
  private ScheduledFuture<?> next;
  private boolean started;

  private InterruptionWatcher(Builder b) {
    this.probe = b.probe();
    this.base = b.base != null ? b.base : probe.defaultBase();
    this.period = b.period;
    this.timeout = b.timeout;
    this.clock = b.clock;
    this.client = b.client != null ? b.client
        : HttpClient.newBuilder().connectTimeout(b.timeout).proxy(HttpClient.Builder.NO_PROXY)
            .version(HttpClient.Version.HTTP_1_1).build();
    this.ownsExecutor = b.executor == null;
    this.executor = b.executor != null ? b.executor : daemonExecutor(probe.provider());
    this.listeners = List.copyOf(b.listeners);
  }

  /** A watcher of AWS's IMDSv2 spot {@code instance-action} (base {@code http://169.254.169.254}). */
  public static Builder aws() {
    return new Builder(Cloud.AWS);
  }

  /** A watcher of GCP's {@code instance/preempted} (base {@code http://metadata.google.internal}). */
  public static Builder gcp() {
    return new Builder(Cloud.GCP);
  }

  /**
   * A watcher of Azure's Scheduled Events (base {@code http://169.254.169.254}, {@code GET
   * /metadata/scheduledevents?api-version=2020-07-01} with {@code Metadata: true}): a {@code Preempt}
   * event naming this VM is the notice, its {@code NotBefore} the action time. See <a
   * href="https://learn.microsoft.com/azure/virtual-machines/linux/scheduled-events">Scheduled Events
   * for Linux VMs</a> (Microsoft Learn). The first request after a VM starts may take up to two minutes
   * while Azure enables the service for it; until then checks time out and are counted as errors.
   */
  public static Builder azure() {
    return new Builder(Cloud.AZURE);
  }

  private enum Cloud {
    AWS,
    GCP,
    AZURE
  }

  /** Starts polling on the executor, the first check at once. Idempotent. */
  public synchronized InterruptionWatcher start() {
    if (!started && !closed) {
      started = true;
      next = executor.schedule(this::pollAndReschedule, 0, TimeUnit.MILLISECONDS);
    }
    return this;
  }

  /**
   * Asks the metadata service once, now, on the calling thread; tells the listeners if this is the
   * first notice seen. Errors are counted ({@link #errorCount()}) and give an empty result.
   *
   * @return the notice, if one has been seen (now or before)
   */
  public java.util.Optional<InterruptionNotice> poll() {
    if (notice != null) {
      return java.util.Optional.of(notice);
    }
    polls.incrementAndGet();
    InterruptionNotice found;
    try {
      synchronized (probe) {
        found = probe.check(client, base, timeout, Instant.ofEpochMilli(clock.wallTimeMillis()));
      }
    } catch (IOException e) {
      error(e.toString());
      return java.util.Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return java.util.Optional.empty();
    }
    if (found != null) {
      deliver(found);
    }
    return java.util.Optional.ofNullable(notice);
  }

  private void deliver(InterruptionNotice found) {
    synchronized (this) {
      if (notice != null) {
        return;
      }
      notice = found;
    }
    log.warn("finops: spot interruption: {}", found);
    for (InterruptionListener l : listeners) {
      try {
        l.onInterruption(found);
      } catch (RuntimeException e) {
        log.error("finops: interruption listener {} failed on {}", l, found, e);
      }
    }
  }

  private void pollAndReschedule() {
    if (closed) {
      return;
    }
    long errorsBefore = errors.get();
    boolean seen = poll().isPresent();
    synchronized (this) {
      if (seen || closed) {
        return;
      }
      Duration delay = errors.get() > errorsBefore ? period : probe.nextDelay(period);
      next = executor.schedule(this::pollAndReschedule, delay.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  private void error(String what) {
    long n = errors.incrementAndGet();
    lastError = what;
    if (n == 1) {
      log.warn("finops: {} interruption watcher: cannot read the metadata service at {}: {} (further errors are "
          + "counted, not logged; polling carries on)", probe.provider(), base, what);
    } else {
      log.debug("finops: {} interruption watcher: {}", probe.provider(), what);
    }
  }

  /** The notice, once one has been seen. */
  public java.util.Optional<InterruptionNotice> notice() {
    return java.util.Optional.ofNullable(notice);
  }

  /** Checks made so far. */
  public long pollCount() {
    return polls.get();
  }

  /** Checks that failed (transport errors, timeouts, unexpected answers). */
  public long errorCount() {
    return errors.get();
  }

  /** The last error, or {@code null}. */
  public String lastError() {
    return lastError;
  }

  /** The metadata service's base URI. */
  public URI baseUri() {
    return base;
  }

  /** Stops polling (and the executor, if the watcher made it). Idempotent. */
  @Override
  public synchronized void close() {
    closed = true;
    if (next != null) {
      next.cancel(false);
    }
    if (ownsExecutor) {
      executor.shutdownNow();
    }
  }

  private static ScheduledExecutorService daemonExecutor(String provider) {
    ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "finops-" + provider + "-interruption-watcher");
      t.setDaemon(true);
      return t;
    });
    e.setRemoveOnCancelPolicy(true);
    return e;
  }

  @Override
  public String toString() {
    return "InterruptionWatcher{" + probe.provider() + ", " + base + ", every " + period + "}";
  }

  /** Configures an {@link InterruptionWatcher}. */
  public static final class Builder {
    private final Cloud cloud;
    private URI base;
    private Duration period = DEFAULT_POLL_PERIOD;
    private Duration timeout = DEFAULT_REQUEST_TIMEOUT;
    private Duration tokenTtl = DEFAULT_TOKEN_TTL;
    private Duration waitForChange;
    private String azureVmName;
    private Clock clock = Clock.system();
    private HttpClient client;
    private ScheduledExecutorService executor;
    private final List<InterruptionListener> listeners = new ArrayList<>();

    private Builder(Cloud cloud) {
      this.cloud = cloud;
    }

    /** The metadata service's base URI (a local server in tests). */
    public Builder baseUri(URI base) {
      this.base = Objects.requireNonNull(base, "base");
      return this;
    }

    /** How often to ask (default 5 s). */
    public Builder pollPeriod(Duration period) {
      this.period = positive("poll period", period);
      return this;
    }

    /** The timeout of one request, connecting included (default 2 s). */
    public Builder requestTimeout(Duration timeout) {
      this.timeout = positive("request timeout", timeout);
      return this;
    }

    /** AWS only: the IMDSv2 token's lifetime (default 6 h). */
    public Builder tokenTtl(Duration ttl) {
      if (cloud != Cloud.AWS) {
        throw new IllegalStateException("tokenTtl is for the AWS watcher (IMDSv2)");
      }
      this.tokenTtl = positive("token TTL", ttl);
      return this;
    }

    /**
     * GCP only: long-poll with {@code ?wait_for_change=true&timeout_sec=N}, N being {@code
     * serverTimeout} in whole seconds: the server answers as soon as the value changes, and the next
     * request goes out at once (after an error, after the poll period).
     */
    public Builder waitForChange(Duration serverTimeout) {
      if (cloud != Cloud.GCP) {
        throw new IllegalStateException("waitForChange is for the GCP watcher");
      }
      this.waitForChange = positive("wait-for-change timeout", serverTimeout);
      return this;
    }

    /**
     * Azure only: this VM's name, as Scheduled Events list it in an event's {@code Resources}
     * (default: asked once from {@code /metadata/instance/compute/name}).
     */
    public Builder azureVmName(String vmName) {
      if (cloud != Cloud.AZURE) {
        throw new IllegalStateException("azureVmName is for the Azure watcher");
      }
      Objects.requireNonNull(vmName, "azureVmName");
      if (vmName.isBlank()) {
        throw new IllegalArgumentException("azureVmName must not be blank");
      }
      this.azureVmName = vmName;
      return this;
    }

    /** The clock that timestamps notices (default the system clock). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The HTTP client (default: JDK client, no proxy, HTTP/1.1, connect timeout = request timeout). */
    public Builder httpClient(HttpClient client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /** Where polls run (default: a daemon thread of the watcher's own, stopped by {@code close()}). */
    public Builder executor(ScheduledExecutorService executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** Told once, on the polling thread, when a notice is seen. */
    public Builder listener(InterruptionListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    MetadataProbe probe() {
      switch (cloud) {
        case AWS:
          return new AwsSpotProbe(tokenTtl);
        case GCP:
          return new GcpPreemptionProbe(waitForChange);
        default:
          return new AzureScheduledEventsProbe(azureVmName);
      }
    }

    private static Duration positive(String what, Duration d) {
      Objects.requireNonNull(d, what);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive: " + d);
      }
      return d;
    }

    /** A watcher, not polling yet ({@link InterruptionWatcher#start()}). */
    public InterruptionWatcher build() {
      return new InterruptionWatcher(this);
    }
  }
}

package dev.finops.nvml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finops.core.ManualClock;
import dev.finops.core.gpu.GpuSample;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sampler: clock-stamped rounds, a bounded ring buffer, listeners, and its daemon thread. */
class GpuSamplerTest {

  @TempDir
  Path dir;

  private final ManualClock clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
  private NvmlSession session;

  @BeforeEach
  void open() {
    session = Nvml.open(FakeNvml.install(dir, "count = 2", "gpu.*.util = 0, 10, 20, 30, 40, 50"));
  }

  @AfterEach
  void close() {
    session.close();
  }

  @Test
  void roundsAreStampedWithTheInjectedClock() {
    GpuSampler sampler = GpuSampler.builder(session).clock(clock).build();

    List<GpuSample> first = sampler.sampleOnce();
    clock.advance(Duration.ofSeconds(1));
    List<GpuSample> second = sampler.sampleOnce();

    assertThat(first).extracting(GpuSample::epochMillis).containsOnly(clock.wallTimeMillis() - 1000);
    assertThat(second).extracting(GpuSample::epochMillis).containsOnly(clock.wallTimeMillis());
    assertThat(sampler.latest()).isEqualTo(second);
    assertThat(sampler.rounds()).isEqualTo(2);
  }

  @Test
  void theRingBufferKeepsTheMostRecentRoundsOldestFirst() {
    GpuSampler sampler = GpuSampler.builder(session).clock(clock).capacity(3).build();
    assertThat(sampler.latest()).isEmpty();
    assertThat(sampler.recent()).isEmpty();

    for (int i = 0; i < 5; i++) {
      sampler.sampleOnce();
      clock.advanceMillis(1000);
    }

    assertThat(sampler.recent()).hasSize(6).extracting(GpuSample::gpuUtilizationPercent)
        .containsExactly(30, 30, 40, 40, 50, 50);
    assertThat(sampler.recent()).extracting(GpuSample::deviceIndex).containsExactly(0, 1, 0, 1, 0, 1);
  }

  @Test
  void listenersGetEveryRoundAndOneThatThrowsDoesNotStopTheOthers() {
    GpuSampler sampler = GpuSampler.builder(session).clock(clock).build();
    List<List<GpuSample>> seen = new ArrayList<>();
    sampler.addListener(round -> {
      throw new IllegalStateException("a broken listener");
    });
    sampler.addListener(seen::add);

    sampler.sampleOnce();
    sampler.sampleOnce();

    assertThat(seen).hasSize(2);
    assertThat(sampler.listenerFailures()).isEqualTo(2);
    sampler.removeListener(seen::add); // a different lambda instance: ignored
    sampler.sampleOnce();
    assertThat(seen).hasSize(3);
  }

  @Test
  void theThreadIsADaemonThatSamplesUntilClosed() throws Exception {
    CountDownLatch twoRounds = new CountDownLatch(2);
    List<Thread> threads = new ArrayList<>();
    GpuSampler sampler = GpuSampler.builder(session).clock(clock).period(Duration.ofMillis(5)).build();
    sampler.addListener(round -> {
      threads.add(Thread.currentThread());
      twoRounds.countDown();
    });

    sampler.start().start(); // idempotent
    assertThat(twoRounds.await(10, TimeUnit.SECONDS)).isTrue();
    sampler.close();

    assertThat(sampler.isRunning()).isFalse();
    assertThat(threads.get(0).isDaemon()).isTrue();
    assertThat(threads.get(0).getName()).isEqualTo(GpuSampler.THREAD_NAME);
    assertThatThrownBy(sampler::start).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void badConfigurationFailsFast() {
    assertThatThrownBy(() -> GpuSampler.builder(session).period(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1 ms");
    assertThatThrownBy(() -> GpuSampler.builder(session).capacity(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1 round");
  }
}

package dev.finops.core.spot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finops.core.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Azure watcher against a local server playing IMDS Scheduled Events with the documents of
 * Microsoft Learn's "Scheduled Events for Linux VMs" page.
 */
class AzureInterruptionWatcherTest {

  private final FakeMetadataServer server = new FakeMetadataServer();
  private final ManualClock clock = ManualClock.at(Instant.parse("2026-11-02T10:00:00Z"));
  private final List<InterruptionNotice> heard = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();

  AzureInterruptionWatcherTest() throws IOException {}

  @AfterEach
  void stop() {
    server.close();
    executor.shutdownNow();
  }

  private InterruptionWatcher.Builder azure() {
    return InterruptionWatcher.azure().baseUri(server.uri()).clock(clock).executor(executor)
        .requestTimeout(Duration.ofSeconds(5)).listener(heard::add);
  }

  /** A Scheduled Events document with one event, as the documentation shows it. */
  private static String event(String type, String resource, String notBefore) {
    return """
        {
          "DocumentIncarnation": 2,
          "Events": [
            {
              "EventId": "C7061BAC-AFDC-4513-B24B-AA5F13A16123",
              "EventStatus": "Scheduled",
              "EventType": "%s",
              "ResourceType": "VirtualMachine",
              "Resources": ["%s"],
              "NotBefore": "%s",
              "Description": "",
              "EventSource": "Platform",
              "DurationInSeconds": -1
            }
          ]
        }
        """.formatted(type, resource, notBefore);
  }

  @Test
  void aPreemptEventForThisVmIsTheNoticeWithItsNotBefore() {
    try (InterruptionWatcher w = azure().build()) {
      assertThat(w.poll()).isEmpty(); // no events

      // maintenance of this VM, and the eviction of another VM of the set: not this VM's interruption
      server.azureEvents(event("Freeze", FakeMetadataServer.AZURE_VM, "Mon, 02 Nov 2026 10:15:00 GMT"));
      assertThat(w.poll()).isEmpty();
      server.azureEvents(event("Preempt", "other-vm-3", "Mon, 02 Nov 2026 10:00:30 GMT"));
      assertThat(w.poll()).isEmpty();
      assertThat(heard).isEmpty();

      clock.advance(Duration.ofSeconds(5));
      server.azureEvents(event("Preempt", FakeMetadataServer.AZURE_VM, "Mon, 02 Nov 2026 10:00:35 GMT"));
      InterruptionNotice n = w.poll().orElseThrow();

      assertThat(n).isEqualTo(new InterruptionNotice("azure", "preempt", Instant.parse("2026-11-02T10:00:05Z"),
          Instant.parse("2026-11-02T10:00:35Z")));
      assertThat(heard).containsExactly(n);
      assertThat(w.errorCount()).isZero();
      // every request carried Metadata: true and the api-version (else the server answers 400, an error)
      assertThat(server.azureQueries).hasSize(4).allSatisfy(q -> assertThat(q).isEqualTo("api-version=2020-07-01"));
      assertThat(server.azureNameRequests).hasValue(1); // the VM name is asked once
    }
  }

  @Test
  void aConfiguredVmNameIsNotAskedForAndAStartedEventHasNoActionTime() {
    try (InterruptionWatcher w = azure().azureVmName("worker-1").build()) {
      server.azureEvents(event("Preempt", "WORKER-1", ""));

      assertThat(w.poll()).hasValueSatisfying(n -> assertThat(n.actionTime()).isNull());
      assertThat(server.azureNameRequests).hasValue(0);
    }
  }

  @Test
  void unexpectedAnswersAreCountedErrorsAndPollingCarriesOn() {
    try (InterruptionWatcher w = azure().build()) {
      server.azureEvents("<html>proxy error</html>");
      assertThat(w.poll()).isEmpty();
      server.azureEvents("{\"DocumentIncarnation\": 3}");
      assertThat(w.poll()).isEmpty();
      server.azureEvents(event("Preempt", FakeMetadataServer.AZURE_VM, "Mon, 02 Nov 2026 10:00:30 GMT"));
      server.failNext(1);
      assertThat(w.poll()).isEmpty();

      assertThat(w.errorCount()).isEqualTo(3);
      assertThat(w.lastError()).contains("HTTP 500");
      assertThat(w.poll()).isPresent();
    }
  }

  @Test
  void pollingOnTheExecutorTellsTheListenerOnce() throws InterruptedException {
    CountDownLatch told = new CountDownLatch(1);
    try (InterruptionWatcher w = azure().pollPeriod(Duration.ofMillis(20)).listener(n -> told.countDown()).build()) {
      w.start();
      server.azureEvents(event("Preempt", FakeMetadataServer.AZURE_VM, "Mon, 02 Nov 2026 10:00:30 GMT"));

      assertThat(told.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(w.notice()).hasValueSatisfying(n -> assertThat(n.provider()).isEqualTo("azure"));
    }
  }

  @Test
  void optionsOfOtherCloudsAreRefusedAndTheVmNameMustNotBeBlank() {
    assertThatThrownBy(() -> InterruptionWatcher.azure().tokenTtl(Duration.ofHours(1)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("AWS");
    assertThatThrownBy(() -> InterruptionWatcher.azure().waitForChange(Duration.ofSeconds(30)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("GCP");
    assertThatThrownBy(() -> InterruptionWatcher.aws().azureVmName("vm"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("Azure");
    assertThatThrownBy(() -> InterruptionWatcher.azure().azureVmName(" "))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("azureVmName");
  }

  @Test
  void notBeforeIsReadAsRfc1123AndIsoAndEmptyMeansStarted() {
    assertThat(AzureScheduledEventsProbe.notBefore("Mon, 19 Sep 2016 18:29:47 GMT"))
        .isEqualTo(Instant.parse("2016-09-19T18:29:47Z"));
    assertThat(AzureScheduledEventsProbe.notBefore("2026-11-02T10:00:30Z")).isEqualTo(Instant.parse("2026-11-02T10:00:30Z"));
    assertThat(AzureScheduledEventsProbe.notBefore("")).isNull();
    assertThat(AzureScheduledEventsProbe.notBefore("soon")).isNull();
  }
}

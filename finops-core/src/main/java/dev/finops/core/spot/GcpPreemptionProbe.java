package dev.finops.core.spot;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

/**
 * GCP's {@code GET /computeMetadata/v1/instance/preempted} with {@code Metadata-Flavor: Google}:
 * {@code TRUE} once the VM is being preempted, {@code FALSE} before. With a long-poll timeout the
 * request carries {@code ?wait_for_change=true&timeout_sec=N}: the server answers when the value
 * changes or after N seconds, and the next request goes out at once.
 */
final class GcpPreemptionProbe implements MetadataProbe {

  static final String PATH = "/computeMetadata/v1/instance/preempted";
  static final String FLAVOR_HEADER = "Metadata-Flavor";

  private final Duration waitForChange; // null: plain polling

  GcpPreemptionProbe(Duration waitForChange) {
    this.waitForChange = waitForChange;
  }

  @Override
  public String provider() {
    return "gcp";
  }

  @Override
  public URI defaultBase() {
    return URI.create("http://metadata.google.internal");
  }

  @Override
  public InterruptionNotice check(HttpClient client, URI base, Duration timeout, Instant now)
      throws IOException, InterruptedException {
    String path = waitForChange == null ? PATH
        : PATH + "?wait_for_change=true&timeout_sec=" + Math.max(1, waitForChange.toSeconds());
    Duration t = waitForChange == null ? timeout : timeout.plus(waitForChange);
    HttpRequest get = HttpRequest.newBuilder(base.resolve(path)).timeout(t).header(FLAVOR_HEADER, "Google").GET().build();
    HttpResponse<String> r = client.send(get, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("GET " + PATH + " answered HTTP " + r.statusCode());
    }
    String v = r.body().trim();
    if (v.equalsIgnoreCase("TRUE")) {
      return new InterruptionNotice(provider(), "preempted", now, null);
    }
    if (v.equalsIgnoreCase("FALSE")) {
      return null;
    }
    throw new IOException("GET " + PATH + " answered neither TRUE nor FALSE: '" + v + "'");
  }

  @Override
  public Duration nextDelay(Duration period) {
    return waitForChange == null ? period : Duration.ZERO;
  }
}

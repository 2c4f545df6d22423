package dev.finops.core.spot;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Azure's Scheduled Events through the Instance Metadata Service: {@code GET
 * /metadata/scheduledevents?api-version=2020-07-01} with {@code Metadata: true} answers {@code
 * {"DocumentIncarnation": n, "Events": [{"EventId", "EventType", "ResourceType", "Resources",
 * "EventStatus", "NotBefore", "Description", "EventSource", "DurationInSeconds"}]}}. A Spot VM about
 * to be evicted gets an event of {@code EventType} {@code Preempt} whose {@code Resources} name the
 * VM, with {@code NotBefore} (RFC 1123, {@code Mon, 19 Sep 2016 18:29:47 GMT}; empty once the event
 * has started) the earliest time it acts, about 30 seconds ahead. Events of the other VMs of an
 * availability set or scale-set placement group are delivered too, so only events naming this VM
 * count: its name comes from the builder or, once, from {@code GET
 * /metadata/instance/compute/name?api-version=2021-02-01&format=text}. Other event types (Freeze,
 * Reboot, Redeploy, Terminate) are not spot interruptions and are ignored. Source: Microsoft Learn,
 * "Azure Metadata Service: Scheduled Events for Linux VMs",
 * https://learn.microsoft.com/azure/virtual-machines/linux/scheduled-events. Not thread-safe: the
 * watcher serializes checks.
 */
final class AzureScheduledEventsProbe implements MetadataProbe {

  static final String EVENTS_PATH = "/metadata/scheduledevents";
  static final String API_VERSION = "2020-07-01";
  static final String NAME_PATH = "/metadata/instance/compute/name";
  static final String NAME_API_VERSION = "2021-02-01";
  static final String METADATA_HEADER = "Metadata";
  static final String PREEMPT = "Preempt";

  private String vmName; // null until configured or fetched

  AzureScheduledEventsProbe(String vmName) {
    this.vmName = vmName;
  }

  @Override
  public String provider() {
    return "azure";
  }

  @Override
  public InterruptionNotice check(HttpClient client, URI base, Duration timeout, Instant now)
      throws IOException, InterruptedException {
    if (vmName == null) {
      String name = get(client, base, NAME_PATH + "?api-version=" + NAME_API_VERSION + "&format=text", timeout).trim();
      if (name.isEmpty()) {
        throw new IOException("GET " + NAME_PATH + " answered no VM name");
      }
      vmName = name;
    }
    String body = get(client, base, EVENTS_PATH + "?api-version=" + API_VERSION, timeout);
    JsonNode json = MetadataProbe.json(body, EVENTS_PATH);
    JsonNode events = json == null ? null : json.get("Events");
    if (events == null || !events.isArray()) {
      throw new IOException(EVENTS_PATH + " has no Events array: " + MetadataProbe.abbreviate(body));
    }
    for (JsonNode e : events) {
      if (PREEMPT.equals(e.path("EventType").asText()) && concernsThisVm(e.path("Resources"))) {
        return new InterruptionNotice(provider(), "preempt", now, notBefore(e.path("NotBefore").asText("")));
      }
    }
    return null;
  }

  private boolean concernsThisVm(JsonNode resources) {
    for (JsonNode r : resources) {
      if (vmName.equalsIgnoreCase(r.asText())) {
        return true;
      }
    }
    return false;
  }

  /** RFC 1123 as documented (ISO 8601 accepted too); {@code null} when empty or unreadable. */
  static Instant notBefore(String text) {
    if (text.isBlank()) {
      return null; // the event has started
    }
    try {
      return ZonedDateTime.parse(text.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    } catch (DateTimeParseException rfc1123) {
      try {
        return Instant.parse(text.trim());
      } catch (DateTimeParseException iso) {
        return null; // the notice matters more than its time
      }
    }
  }

  private static String get(HttpClient client, URI base, String pathAndQuery, Duration timeout)
      throws IOException, InterruptedException {
    HttpRequest get = HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(timeout)
        .header(METADATA_HEADER, "true").GET().build();
    HttpResponse<String> r = client.send(get, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("GET " + pathAndQuery + " answered HTTP " + r.statusCode());
    }
    return r.body();
  }

}

package dev.finops.core.spot;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;

/** One cloud's way of asking its instance metadata service whether an interruption is coming. */
interface MetadataProbe {

  /** The cloud's name in notices ({@code "aws"}). */
  String provider();

  /** The link-local address of AWS's and Azure's instance metadata services. */
  URI LINK_LOCAL = URI.create("http://169.254.169.254");

  /** The metadata service's usual base URI (the link-local address unless the cloud says otherwise). */
  default URI defaultBase() {
    return LINK_LOCAL;
  }

  /**
   * Asks once.
   *
   * @param now the watcher's clock, for the notice's time
   * @return the notice, or {@code null} when none is scheduled
   * @throws IOException on a transport error, a timeout or an unexpected answer
   */
  InterruptionNotice check(HttpClient client, URI base, Duration timeout, Instant now)
      throws IOException, InterruptedException;

  /** The JSON document {@code body} answered by {@code what}, or an error quoting its start. */
  static com.fasterxml.jackson.databind.JsonNode json(String body, String what) throws IOException {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new IOException(what + " is not JSON: " + abbreviate(body), e);
    }
  }

  /** At most 200 characters of {@code s}, for error messages. */
  static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "...";
  }

  /** Parses metadata documents; thread-safe. */
  com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

  /** How long the next check should wait after one that found nothing; {@code period} unless long-polling. */
  default Duration nextDelay(Duration period) {
    return period;
  }
}

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

  /** The metadata service's usual base URI. */
  URI defaultBase();

  /**
   * Asks once.
   *
   * @param now the watcher's clock, for the notice's time
   * @return the notice, or {@code null} when none is scheduled
   * @throws IOException on a transport error, a timeout or an unexpected answer
   */
  InterruptionNotice check(HttpClient client, URI base, Duration timeout, Instant now)
      throws IOException, InterruptedException;

  /** How long the next check should wait after one that found nothing; {@code period} unless long-polling. */
  default Duration nextDelay(Duration period) {
    return period;
  }
}

package dev.finops.core.spot;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * AWS EC2 spot {@code instance-action} through IMDSv2: {@code PUT /latest/api/token} with {@code
 * X-aws-ec2-metadata-token-ttl-seconds}, then {@code GET /latest/meta-data/spot/instance-action} with
 * {@code X-aws-ec2-metadata-token}. 404 means no interruption is scheduled; 200 carries {@code
 * {"action": "terminate"|"stop"|"hibernate", "time": "2026-...Z"}}. The token is kept until shortly
 * before it expires, and fetched again after a 401. Not thread-safe: the watcher serializes checks.
 */
final class AwsSpotProbe implements MetadataProbe {

  static final String TOKEN_PATH = "/latest/api/token";
  static final String ACTION_PATH = "/latest/meta-data/spot/instance-action";
  static final String TTL_HEADER = "X-aws-ec2-metadata-token-ttl-seconds";
  static final String TOKEN_HEADER = "X-aws-ec2-metadata-token";

  private final Duration tokenTtl;
  private String token;
  private Instant tokenRenewAt = Instant.MIN;

  AwsSpotProbe(Duration tokenTtl) {
    this.tokenTtl = tokenTtl;
  }

  @Override
  public String provider() {
    return "aws";
  }

  @Override
  public InterruptionNotice check(HttpClient client, URI base, Duration timeout, Instant now)
      throws IOException, InterruptedException {
    for (int attempt = 0; attempt < 2; attempt++) {
      if (token == null || !now.isBefore(tokenRenewAt)) {
        fetchToken(client, base, timeout, now);
      }
      HttpRequest get = HttpRequest.newBuilder(base.resolve(ACTION_PATH)).timeout(timeout)
          .header(TOKEN_HEADER, token).GET().build();
      HttpResponse<String> r = client.send(get, HttpResponse.BodyHandlers.ofString());
      switch (r.statusCode()) {
        case 404:
          return null;
        case 200:
          return parse(r.body(), now);
        case 401:
          token = null; // expired or revoked: fetch a new one and ask again
          continue;
        default:
          throw new IOException("GET " + ACTION_PATH + " answered HTTP " + r.statusCode());
      }
    }
    throw new IOException("GET " + ACTION_PATH + " refused a fresh IMDSv2 token (HTTP 401)");
  }

  private void fetchToken(HttpClient client, URI base, Duration timeout, Instant now)
      throws IOException, InterruptedException {
    HttpRequest put = HttpRequest.newBuilder(base.resolve(TOKEN_PATH)).timeout(timeout)
        .header(TTL_HEADER, Long.toString(tokenTtl.toSeconds())).PUT(HttpRequest.BodyPublishers.noBody()).build();
    HttpResponse<String> r = client.send(put, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200 || r.body().isBlank()) {
      throw new IOException("PUT " + TOKEN_PATH + " answered HTTP " + r.statusCode());
    }
    token = r.body().trim();
    // Renew a minute before expiry (or halfway through a short TTL).
    Duration margin = tokenTtl.compareTo(Duration.ofMinutes(2)) > 0 ? Duration.ofMinutes(1) : tokenTtl.dividedBy(2);
    tokenRenewAt = now.plus(tokenTtl).minus(margin);
  }

  private InterruptionNotice parse(String body, Instant now) throws IOException {
    JsonNode json = MetadataProbe.json(body, "instance-action");
    String action = json.path("action").asText("");
    if (action.isEmpty()) {
      throw new IOException("instance-action has no action: " + MetadataProbe.abbreviate(body));
    }
    Instant time = null;
    if (json.hasNonNull("time")) {
      try {
        time = Instant.parse(json.get("time").asText());
      } catch (DateTimeParseException e) {
        time = null; // the notice matters more than its time
      }
    }
    return new InterruptionNotice(provider(), action, now, time);
  }

}

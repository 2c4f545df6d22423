package dev.finops.core.spot;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local HTTP server on 127.0.0.1 that plays AWS's IMDSv2, GCP's metadata service and Azure's
 * Scheduled Events: 404 (AWS) or {@code FALSE} (GCP) before a notice, the notice after {@link
 * #interrupt}, and on demand server errors, hangs (for timeouts) and revoked tokens; Azure answers
 * the document set with {@link #azureEvents} (no events at first) and refuses requests without
 * {@code Metadata: true} or the api-version, as IMDS does (HTTP 400).
 */
final class FakeMetadataServer implements AutoCloseable {

  final AtomicInteger tokensIssued = new AtomicInteger();
  final AtomicInteger actionRequests = new AtomicInteger();
  final List<String> queries = new CopyOnWriteArrayList<>();
  final CountDownLatch longPollArrived = new CountDownLatch(1);
  private final Set<String> validTokens = ConcurrentHashMap.newKeySet();
  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private volatile String awsNotice; // JSON body, or null for 404
  private volatile boolean preempted;
  private volatile CountDownLatch changed = new CountDownLatch(1);
  private final AtomicInteger failNext = new AtomicInteger();
  private volatile CountDownLatch hang; // while set, action requests wait on it
  private volatile String gcpBody;
  final List<String> azureQueries = new CopyOnWriteArrayList<>();
  final AtomicInteger azureNameRequests = new AtomicInteger();
  static final String AZURE_VM = "spot-vm-7";
  private volatile String azureEvents = "{\"DocumentIncarnation\": 0, \"Events\": []}";

  FakeMetadataServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext("/latest/api/token", this::token);
    server.createContext("/latest/meta-data/spot/instance-action", this::instanceAction);
    server.createContext("/computeMetadata/v1/instance/preempted", this::preempted);
    server.createContext("/metadata/scheduledevents", this::scheduledEvents);
    server.createContext("/metadata/instance/compute/name", this::azureName);
    server.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** AWS: the next GETs answer 200 with this notice; GCP: {@code TRUE}. */
  void interrupt(String action, String time) {
    awsNotice = "{\"action\": \"" + action + "\", \"time\": \"" + time + "\"}";
    preempted = true;
    changed.countDown();
  }

  void failNext(int n) {
    failNext.set(n);
  }

  /** Action requests wait until {@link #release()}: a metadata service that stopped answering. */
  void hang() {
    hang = new CountDownLatch(1);
  }

  void release() {
    CountDownLatch h = hang;
    hang = null;
    if (h != null) {
      h.countDown();
    }
  }

  void revokeTokens() {
    validTokens.clear();
  }

  /** GCP answers this body instead of TRUE/FALSE. */
  void gcpBody(String body) {
    this.gcpBody = body;
  }

  private void token(HttpExchange ex) throws IOException {
    String ttl = ex.getRequestHeaders().getFirst(AwsSpotProbe.TTL_HEADER);
    if (!"PUT".equals(ex.getRequestMethod()) || ttl == null) {
      send(ex, 400, "");
      return;
    }
    String t = "token-" + tokensIssued.incrementAndGet() + "-ttl-" + ttl;
    validTokens.add(t);
    send(ex, 200, t);
  }

  private void instanceAction(HttpExchange ex) throws IOException {
    actionRequests.incrementAndGet();
    if (!validTokens.contains(ex.getRequestHeaders().getFirst(AwsSpotProbe.TOKEN_HEADER))) {
      send(ex, 401, "");
      return;
    }
    if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      send(ex, 500, "internal error");
      return;
    }
    await(hang);
    String notice = awsNotice;
    send(ex, notice == null ? 404 : 200, notice == null ? "Not Found" : notice);
  }

  private void preempted(HttpExchange ex) throws IOException {
    if (!"Google".equals(ex.getRequestHeaders().getFirst(GcpPreemptionProbe.FLAVOR_HEADER))) {
      send(ex, 403, "Missing Metadata-Flavor:Google header.");
      return;
    }
    String query = ex.getRequestURI().getQuery();
    queries.add(query == null ? "" : query);
    if (query != null && query.contains("wait_for_change=true") && !preempted) {
      longPollArrived.countDown();
      try {
        changed.await(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    String body = gcpBody;
    send(ex, 200, body != null ? body : preempted ? "TRUE" : "FALSE");
  }

  /** Azure: the next Scheduled Events answers carry this document. */
  void azureEvents(String json) {
    this.azureEvents = json;
  }

  private static boolean azureRefuses(HttpExchange ex, String apiVersion) throws IOException {
    String q = ex.getRequestURI().getQuery();
    if (!"true".equals(ex.getRequestHeaders().getFirst(AzureScheduledEventsProbe.METADATA_HEADER))
        || q == null || !q.contains("api-version=" + apiVersion)) {
      send(ex, 400, "{\"error\": \"Bad request\"}");
      return true;
    }
    return false;
  }

  private void scheduledEvents(HttpExchange ex) throws IOException {
    azureQueries.add(String.valueOf(ex.getRequestURI().getQuery()));
    if (azureRefuses(ex, "2020-07-01")) {
      return;
    }
    if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      send(ex, 500, "internal error");
      return;
    }
    send(ex, 200, azureEvents);
  }

  private void azureName(HttpExchange ex) throws IOException {
    azureNameRequests.incrementAndGet();
    if (azureRefuses(ex, "2021-02-01") || !ex.getRequestURI().getQuery().contains("format=text")) {
      return;
    }
    send(ex, 200, AZURE_VM);
  }

  private static void await(CountDownLatch latch) {
    if (latch != null) {
      try {
        latch.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void send(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
    if (b.length > 0) {
      ex.getResponseBody().write(b);
    }
    ex.close();
  }

  @Override
  public void close() {
    release();
    changed.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}

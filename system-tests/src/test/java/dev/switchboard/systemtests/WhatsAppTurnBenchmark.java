package dev.switchboard.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.switchboard.launcher.Platform;
import dev.switchboard.launcher.PlatformOptions.WhatsAppNumber;
import dev.switchboard.launcher.SampleWebhook;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Measures whole WhatsApp turns through the packaged platform: launcher start-up, webhook ack
 * latency, and webhook-in to Graph-API-reply-out latency with the scripted model (no provider
 * time). Not part of the test run; run it with {@code ./mvnw -pl system-tests verify
 * -Dit.test=WhatsAppTurnBenchmark} after a build.
 */
class WhatsAppTurnBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final WhatsAppNumber NUMBER = TestPlatform.NUMBER;
  private static final int WARM_UP_TURNS = 30;
  private static final int MEASURED_TURNS = 300;
  private static final int CONCURRENT_USERS = 20;

  private final Map<String, Long> replyArrivals = new ConcurrentHashMap<>();

  @Test
  void measureTurns() throws Exception {
    WireMockServer graphApi = GraphApiStandIn.start();
    graphApi.addMockServiceRequestListener(
        (request, response) -> {
          try {
            JsonNode body = JSON.readTree(request.getBody());
            if ("text".equals(body.path("type").asText())) {
              replyArrivals.putIfAbsent(body.path("to").asText(), System.nanoTime());
            }
          } catch (java.io.IOException ignored) {
            // Not a send; nothing to time.
          }
        });
    long startNanos = System.nanoTime();
    try (Platform platform =
        TestPlatform.start("platform-benchmark", graphApi.baseUrl(), Map.of())) {
      double startupSeconds = (System.nanoTime() - startNanos) / 1e9;
      runTurns(platform, 100_000, WARM_UP_TURNS, 1);
      List<long[]> sequential = runTurns(platform, 200_000, MEASURED_TURNS, 1);
      List<long[]> concurrent = runTurns(platform, 300_000, MEASURED_TURNS, CONCURRENT_USERS);
      // One print, so the services' streamed log cannot split a metric line.
      System.out.print(
          String.format("metric: platform.launcher_startup = %.1f s%n", startupSeconds)
              + report("sequential", sequential)
              + report("concurrent" + CONCURRENT_USERS, concurrent));
    } finally {
      graphApi.stop();
    }
  }

  /** Each turn is a first message from a new user; returns {ackNanos, turnNanos} per turn. */
  private List<long[]> runTurns(Platform platform, int firstUser, int turns, int concurrency)
      throws Exception {
    List<long[]> results = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    CountDownLatch done = new CountDownLatch(turns);
    for (int i = 0; i < turns; i++) {
      String user = String.valueOf(15550000000L + firstUser + i);
      pool.execute(
          () -> {
            try {
              results.add(oneTurn(platform, user));
            } catch (Exception e) {
              throw new IllegalStateException(e);
            } finally {
              done.countDown();
            }
          });
    }
    done.await(10, TimeUnit.MINUTES);
    pool.shutdown();
    assertEquals(turns, results.size(), "every turn was answered");
    return results;
  }

  private long[] oneTurn(Platform platform, String user) throws Exception {
    byte[] body =
        SampleWebhook.textMessage(
            NUMBER.phoneNumberId(), user, "wamid.bench-" + user, "ping", Instant.now());
    long sent = System.nanoTime();
    int status = SampleWebhook.post(platform.whatsAppWebhookUrl(), body, NUMBER.appSecret());
    long acked = System.nanoTime();
    assertEquals(200, status);
    long deadline = sent + TimeUnit.SECONDS.toNanos(30);
    Long arrival;
    while ((arrival = replyArrivals.get(user)) == null) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no reply for a benchmark turn within 30 s");
      }
      Thread.sleep(1);
    }
    return new long[] {acked - sent, arrival - sent};
  }

  private static String report(String label, List<long[]> results) {
    List<Long> acks = results.stream().map(r -> r[0]).sorted().toList();
    List<Long> turns = results.stream().map(r -> r[1]).sorted().toList();
    StringBuilder lines = new StringBuilder();
    lines.append(metric("whatsapp_webhook_ack_p50_" + label, pct(acks, 0.50)));
    lines.append(metric("whatsapp_webhook_ack_p99_" + label, pct(acks, 0.99)));
    lines.append(metric("whatsapp_turn_p50_" + label, pct(turns, 0.50)));
    lines.append(metric("whatsapp_turn_p95_" + label, pct(turns, 0.95)));
    lines.append(metric("whatsapp_turn_p99_" + label, pct(turns, 0.99)));
    return lines.toString();
  }

  private static String metric(String name, double millis) {
    return String.format("metric: platform.%s = %.1f ms%n", name, millis);
  }

  private static double pct(List<Long> sorted, double quantile) {
    int index = (int) Math.ceil(quantile * sorted.size()) - 1;
    return sorted.get(Math.max(0, index)) / 1e6;
  }
}

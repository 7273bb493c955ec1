package dev.switchboard.modeladapter.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.contracts.model.ChatMessage;
import dev.switchboard.contracts.model.ChatModel;
import dev.switchboard.contracts.model.ContentPart;
import dev.switchboard.contracts.model.GenerateRequest;
import dev.switchboard.contracts.model.Role;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Gateway overhead: time to first delta through gRPC Generate minus time to first SSE event
 * straight from the same stand-in, at {@code bench.concurrency} (default 200) concurrent streams.
 * Not part of the normal test run (the class name does not end in Test); run it with {@code -Dtest=
 * GatewayOverheadBenchmark}. Prints {@code metric:} lines for BENCHMARKS.md.
 *
 * <p>Two load shapes ({@code bench.mode}):
 *
 * <ul>
 *   <li>{@code burst} (default): each round opens all streams at the same instant, the worst case
 *       of a thundering herd.
 *   <li>{@code steady}: that many streams are always in flight; each lane opens its next stream
 *       when its last one ends, and the lanes start spread over one stream's length so openings are
 *       evenly spaced — what a gateway in service sees. Each phase lasts {@code bench.seconds}.
 * </ul>
 */
@QuarkusTest
@TestProfile(GatewayOverheadBenchmark.Profile.class)
@WithTestResource(SseStandIn.class)
class GatewayOverheadBenchmark {

  static final int CONCURRENCY = Integer.getInteger("bench.concurrency", 200);
  static final int ROUNDS = Integer.getInteger("bench.rounds", 10);
  static final int WARMUP_ROUNDS = 3;
  static final String MODE = System.getProperty("bench.mode", "burst");
  static final int PHASE_SECONDS = Integer.getInteger("bench.seconds", 20);

  public static class Profile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "switchboard.model.chat.backend", "openai",
          "switchboard.model.openai.max-connections", "512",
          "quarkus.log.level", "WARN");
    }
  }

  @GrpcClient("model")
  ChatModel model;

  @jakarta.inject.Inject io.micrometer.core.instrument.MeterRegistry registry;

  @Test
  void measure() throws Exception {
    Vertx clientVertx = Vertx.vertx();
    HttpClient direct =
        clientVertx.createHttpClient(
            new HttpClientOptions().setKeepAlive(true),
            new PoolOptions().setHttp1MaxSize(CONCURRENCY * 2));
    try {
      if (MODE.equals("steady")) {
        measureSteady(direct);
        return;
      }
      for (int i = 0; i < WARMUP_ROUNDS; i++) {
        roundDirect(direct);
        roundGateway();
      }
      List<Double> directMs = new ArrayList<>();
      List<Double> gatewayMs = new ArrayList<>();
      long directCpu = 0;
      long gatewayCpu = 0;
      for (int i = 0; i < ROUNDS; i++) {
        // Interleave so both see the same machine load.
        long before = processCpuNanos();
        directMs.addAll(roundDirect(direct));
        long middle = processCpuNanos();
        gatewayMs.addAll(roundGateway());
        long after = processCpuNanos();
        directCpu += middle - before;
        gatewayCpu += after - middle;
      }
      report(directMs, gatewayMs);
      double streams = (double) CONCURRENCY * ROUNDS;
      System.out.printf(
          "metric: model.gateway_cpu_per_stream = %.3f ms%n",
          (gatewayCpu - directCpu) / 1e6 / streams);
      System.out.printf(
          "(whole-JVM CPU per stream: via gateway %.3f ms, direct %.3f ms; load average %.1f)%n",
          gatewayCpu / 1e6 / streams,
          directCpu / 1e6 / streams,
          java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      printInsideTheGateway();
    } finally {
      clientVertx.close().toCompletionStage().toCompletableFuture().join();
    }
  }

  private void measureSteady(HttpClient direct) throws InterruptedException {
    steadyPhase(() -> openDirect(direct)); // warm-up, discarded
    steadyPhase(this::openGateway);
    List<Double> directMs = new ArrayList<>();
    List<Double> gatewayMs = new ArrayList<>();
    long directCpu = 0;
    long gatewayCpu = 0;
    long directStreams = 0;
    long gatewayStreams = 0;
    for (int i = 0; i < ROUNDS; i++) {
      long before = processCpuNanos();
      List<Double> d = steadyPhase(() -> openDirect(direct));
      long middle = processCpuNanos();
      List<Double> g = steadyPhase(this::openGateway);
      long after = processCpuNanos();
      directMs.addAll(d);
      gatewayMs.addAll(g);
      directCpu += middle - before;
      gatewayCpu += after - middle;
      directStreams += d.size();
      gatewayStreams += g.size();
    }
    System.out.printf(
        "%nSteady load: %d streams in flight, %d tokens every %d ms per stream, %d phases of %d s"
            + " each way; %d direct and %d gateway streams measured%n",
        CONCURRENCY,
        SseStandIn.TOKENS,
        SseStandIn.TOKEN_INTERVAL_MS,
        ROUNDS,
        PHASE_SECONDS,
        directMs.size(),
        gatewayMs.size());
    System.out.printf(
        "metric: model.steady_standin_ttfd_p50 = %.2f ms%n", percentile(directMs, 50));
    System.out.printf(
        "metric: model.steady_standin_ttfd_p95 = %.2f ms%n", percentile(directMs, 95));
    System.out.printf(
        "metric: model.steady_gateway_ttfd_p50 = %.2f ms%n", percentile(gatewayMs, 50));
    System.out.printf(
        "metric: model.steady_gateway_ttfd_p95 = %.2f ms%n", percentile(gatewayMs, 95));
    System.out.printf(
        "metric: model.steady_gateway_overhead_p50 = %.2f ms%n",
        percentile(gatewayMs, 50) - percentile(directMs, 50));
    System.out.printf(
        "metric: model.steady_gateway_overhead_p95 = %.2f ms%n",
        percentile(gatewayMs, 95) - percentile(directMs, 95));
    System.out.printf(
        "metric: model.steady_gateway_cpu_per_stream = %.3f ms%n",
        (gatewayCpu / 1e6 / gatewayStreams) - (directCpu / 1e6 / directStreams));
    System.out.printf(
        "(streams opened per second: %.0f; load average %.1f)%n",
        gatewayStreams / (double) (ROUNDS * PHASE_SECONDS),
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    printInsideTheGateway();
  }

  /** One stream's time to its first token, and its end. */
  private record OpenStream(CompletableFuture<Double> firstToken, CompletableFuture<Void> ended) {}

  /**
   * Keeps {@link #CONCURRENCY} streams in flight for {@link #PHASE_SECONDS}; returns the time to
   * first token of every stream opened after the first stream length (the ramp-up).
   */
  private List<Double> steadyPhase(java.util.function.Supplier<OpenStream> open)
      throws InterruptedException {
    long streamNanos = (long) SseStandIn.TOKENS * SseStandIn.TOKEN_INTERVAL_MS * 1_000_000L;
    long start = System.nanoTime();
    long measureFrom = start + streamNanos;
    long stopAt = start + PHASE_SECONDS * 1_000_000_000L;
    List<Double> samples = Collections.synchronizedList(new ArrayList<>());
    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    java.util.concurrent.CountDownLatch lanesDone =
        new java.util.concurrent.CountDownLatch(CONCURRENCY);
    var scheduler = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    try {
      for (int lane = 0; lane < CONCURRENCY; lane++) {
        scheduler.schedule(
            () -> runLane(open, measureFrom, stopAt, samples, failures, lanesDone),
            streamNanos * lane / CONCURRENCY,
            java.util.concurrent.TimeUnit.NANOSECONDS);
      }
      lanesDone.await();
    } finally {
      scheduler.shutdownNow();
    }
    assertEquals(List.of(), failures, "every stream completed");
    return new ArrayList<>(samples);
  }

  private static void runLane(
      java.util.function.Supplier<OpenStream> open,
      long measureFrom,
      long stopAt,
      List<Double> samples,
      List<Throwable> failures,
      java.util.concurrent.CountDownLatch lanesDone) {
    long openedAt = System.nanoTime();
    if (openedAt >= stopAt) {
      lanesDone.countDown();
      return;
    }
    OpenStream stream = open.get();
    stream.firstToken.thenAccept(
        ms -> {
          if (openedAt >= measureFrom) {
            samples.add(ms);
          }
        });
    stream.ended.whenComplete(
        (ignored, failure) -> {
          if (failure != null) {
            failures.add(failure);
            lanesDone.countDown();
          } else {
            runLane(open, measureFrom, stopAt, samples, failures, lanesDone);
          }
        });
  }

  private static final Buffer DIRECT_BODY =
      Buffer.buffer(
          "{\"model\":\"bench\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

  private static OpenStream openDirect(HttpClient client) {
    CompletableFuture<Double> firstEvent = new CompletableFuture<>();
    CompletableFuture<Void> ended = new CompletableFuture<>();
    long start = System.nanoTime();
    client
        .request(
            new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI("http://127.0.0.1:" + SseStandIn.port() + "/v1/chat/completions")
                .putHeader("Content-Type", "application/json"))
        .compose(request -> request.send(DIRECT_BODY))
        .onSuccess(
            response -> {
              response.handler(
                  chunk -> {
                    if (!firstEvent.isDone() && chunk.toString().contains("data:")) {
                      firstEvent.complete((System.nanoTime() - start) / 1e6);
                    }
                  });
              response.endHandler(ignored -> ended.complete(null));
              response.exceptionHandler(ended::completeExceptionally);
            })
        .onFailure(ended::completeExceptionally);
    return new OpenStream(firstEvent, ended);
  }

  private OpenStream openGateway() {
    CompletableFuture<Double> firstDelta = new CompletableFuture<>();
    CompletableFuture<Void> ended = new CompletableFuture<>();
    long start = System.nanoTime();
    model
        .generate(GATEWAY_REQUEST)
        .onItem()
        .invoke(
            response -> {
              if (response.hasDelta() && !firstDelta.isDone()) {
                firstDelta.complete((System.nanoTime() - start) / 1e6);
              }
            })
        .collect()
        .last()
        .subscribe()
        .with(ignored -> ended.complete(null), ended::completeExceptionally);
    return new OpenStream(firstDelta, ended);
  }

  private static final GenerateRequest GATEWAY_REQUEST =
      GenerateRequest.newBuilder()
          .addMessages(
              ChatMessage.newBuilder()
                  .setRole(Role.ROLE_USER)
                  .addContent(ContentPart.newBuilder().setText("hi")))
          .build();

  /**
   * The gateway's own meter: from calling the backend to its first delta (all rounds), read from
   * its histogram as the upper bound of the bucket that holds each percentile.
   */
  private void printInsideTheGateway() {
    var snapshot =
        registry
            .get("switchboard.model.first.output")
            .tag("backend", "openai")
            .timer()
            .takeSnapshot();
    for (double p : new double[] {0.5, 0.95, 0.99}) {
      double wanted = p * snapshot.count();
      for (var bucket : snapshot.histogramCounts()) {
        if (bucket.count() >= wanted) {
          System.out.printf(
              "inside the gateway, backend call to first delta p%.0f <= %.2f ms%n",
              p * 100, bucket.bucket(java.util.concurrent.TimeUnit.MILLISECONDS));
          break;
        }
      }
    }
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private List<Double> roundDirect(HttpClient client) {
    List<CompletableFuture<Double>> all = new ArrayList<>();
    Buffer body =
        Buffer.buffer(
            "{\"model\":\"bench\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    for (int i = 0; i < CONCURRENCY; i++) {
      CompletableFuture<Double> firstEvent = new CompletableFuture<>();
      long start = System.nanoTime();
      client
          .request(
              new RequestOptions()
                  .setMethod(HttpMethod.POST)
                  .setAbsoluteURI("http://127.0.0.1:" + SseStandIn.port() + "/v1/chat/completions")
                  .putHeader("Content-Type", "application/json"))
          .compose(request -> request.send(body))
          .onSuccess(
              response -> {
                response.handler(
                    chunk -> {
                      if (!firstEvent.isDone() && chunk.toString().contains("data:")) {
                        firstEvent.complete((System.nanoTime() - start) / 1e6);
                      }
                    });
                response.exceptionHandler(firstEvent::completeExceptionally);
              })
          .onFailure(firstEvent::completeExceptionally);
      all.add(firstEvent);
    }
    return join(all);
  }

  private List<Double> roundGateway() {
    GenerateRequest request =
        GenerateRequest.newBuilder()
            .addMessages(
                ChatMessage.newBuilder()
                    .setRole(Role.ROLE_USER)
                    .addContent(ContentPart.newBuilder().setText("hi")))
            .build();
    List<CompletableFuture<Double>> all = new ArrayList<>();
    for (int i = 0; i < CONCURRENCY; i++) {
      long start = System.nanoTime();
      CompletableFuture<Double> firstDelta = new CompletableFuture<>();
      Uni<Void> done =
          model
              .generate(request)
              .onItem()
              .invoke(
                  response -> {
                    if (response.hasDelta() && !firstDelta.isDone()) {
                      firstDelta.complete((System.nanoTime() - start) / 1e6);
                    }
                  })
              .collect()
              .last()
              .replaceWithVoid();
      done.subscribe().with(ignored -> {}, firstDelta::completeExceptionally);
      all.add(firstDelta);
    }
    return join(all);
  }

  private static List<Double> join(List<CompletableFuture<Double>> all) {
    List<Double> values = new ArrayList<>();
    for (CompletableFuture<Double> future : all) {
      values.add(future.orTimeout(60, java.util.concurrent.TimeUnit.SECONDS).join());
    }
    // Let the rest of the streams (10 tokens at 20 ms) finish before the next round.
    sleep(Duration.ofMillis(SseStandIn.TOKENS * SseStandIn.TOKEN_INTERVAL_MS + 300));
    return values;
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static double percentile(List<Double> values, double p) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  private static void report(List<Double> directMs, List<Double> gatewayMs) {
    assertEquals(directMs.size(), gatewayMs.size());
    double d50 = percentile(directMs, 50);
    double d95 = percentile(directMs, 95);
    double g50 = percentile(gatewayMs, 50);
    double g95 = percentile(gatewayMs, 95);
    System.out.printf(
        "%nGateway overhead benchmark: %d concurrent streams x %d rounds (%d samples each)%n",
        CONCURRENCY, ROUNDS, directMs.size());
    System.out.printf("metric: model.standin_ttfd_p50 = %.2f ms%n", d50);
    System.out.printf("metric: model.standin_ttfd_p95 = %.2f ms%n", d95);
    System.out.printf("metric: model.gateway_ttfd_p50 = %.2f ms%n", g50);
    System.out.printf("metric: model.gateway_ttfd_p95 = %.2f ms%n", g95);
    System.out.printf("metric: model.gateway_overhead_p50 = %.2f ms%n", g50 - d50);
    System.out.printf("metric: model.gateway_overhead_p95 = %.2f ms%n", g95 - d95);
  }
}

package dev.switchboard.whatsapp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.contracts.Topics;
import dev.switchboard.contracts.events.InboundEvent;
import dev.switchboard.devstack.DevStackTestResource;
import dev.switchboard.whatsapp.support.KafkaProbe;
import dev.switchboard.whatsapp.support.LightGraphApiStandIn;
import dev.switchboard.whatsapp.support.SpeechToTextStandIn;
import dev.switchboard.whatsapp.support.Webhooks;
import dev.switchboard.whatsapp.webhook.SignatureVerifier;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.RecordingState;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Sustained signed-webhook throughput and ack latency against the real broker (acks=all) and
 * database, next to a bare Vert.x endpoint that only answers 200, in the same run. Not part of the
 * normal test run (the name does not end in Test); run it from the repository root with:
 *
 * <pre>
 * ./mvnw -B -o -q -DskipTests install -Dspotless.check.skip=true -pl channel-whatsapp -am
 * ./mvnw -B -o -pl channel-whatsapp test -Dtest=WebhookThroughputBenchmark \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dbench.seconds=20 -Dbench.concurrency=64
 * </pre>
 *
 * Add {@code -Dbench.jfr=/tmp/wa.jfr} for a JFR profile of exactly the measured service run. The
 * Graph API is played by {@link LightGraphApiStandIn} (one Vert.x event loop answering the
 * documented responses), because every accepted message costs a real read-receipt call.
 *
 * <p>It asserts only correctness (every accepted webhook's event is on Kafka exactly once, every
 * accepted message marked read), never a speed: the numbers are printed as {@code metric:} lines
 * for BENCHMARKS.md.
 */
@QuarkusTest
@WithTestResource(DevStackTestResource.class)
@WithTestResource(LightGraphApiStandIn.class)
@WithTestResource(SpeechToTextStandIn.class)
class WebhookThroughputBenchmark {
  private static final int USERS = 200;

  record Result(long requests, long ok, long other, double seconds, long[] latenciesNanos) {
    double perSecond() {
      return ok / seconds;
    }

    double percentileMillis(double p) {
      if (latenciesNanos.length == 0) {
        return Double.NaN;
      }
      int index =
          (int) Math.min(latenciesNanos.length - 1, Math.ceil(p * latenciesNanos.length) - 1);
      return latenciesNanos[Math.max(0, index)] / 1_000_000.0;
    }
  }

  @Test
  void signedWebhooksAgainstABareVertxEndpoint() throws Exception {
    int seconds = Integer.getInteger("bench.seconds", 20);
    int concurrency = Integer.getInteger("bench.concurrency", 64);
    int appPort = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
    Vertx vertx = Vertx.vertx();
    try {
      HttpServer bare =
          vertx
              .createHttpServer()
              .requestHandler(
                  request -> request.body().onComplete(ignored -> request.response().end()))
              .listen(0, "127.0.0.1")
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);

      String prefix = "wamid.BENCH-" + UUID.randomUUID() + "-";
      // Warm up both endpoints (JIT, connection pools, contact rows for every user).
      run(vertx, bare.actualPort(), concurrency, 5, prefix + "warm-bare-", false);
      Result warm = run(vertx, appPort, concurrency, 10, prefix + "warm-", true);

      Result bareResult =
          run(vertx, bare.actualPort(), concurrency, seconds, prefix + "bare-", false);
      Result app;
      try (KafkaProbe inbound = new KafkaProbe(Topics.INBOUND)) {
        Recording profile = startProfile();
        try {
          app = run(vertx, appPort, concurrency, seconds, prefix + "run-", true);
        } finally {
          if (profile.getState() == RecordingState.RUNNING) {
            profile.stop();
          }
          profile.close();
        }
        Map<String, Integer> seen = new HashMap<>();
        List<ConsumerRecord<String, byte[]>> records =
            inbound.readUntil(
                r -> count(r, prefix + "run-", seen) >= app.ok(), Duration.ofSeconds(60));
        count(records, prefix + "run-", seen);
        long duplicates = seen.values().stream().filter(n -> n > 1).count();
        System.out.printf(
            "%nmetric: whatsapp.webhook.accepted_events_on_kafka = %d events%n", seen.size());
        System.out.printf(
            "metric: whatsapp.webhook.lost_events = %d events%n", app.ok() - seen.size());
        System.out.printf("metric: whatsapp.webhook.duplicated_events = %d events%n", duplicates);
        assertEquals(app.ok(), seen.size(), "every 200 must have its event on Kafka");
        assertEquals(0, duplicates, "no event may be written twice for one accepted webhook");
        long marked = awaitReadReceipts(prefix + "run-", app.ok());
        System.out.printf(
            "metric: whatsapp.webhook.read_receipts_missing = %d receipts%n", app.ok() - marked);
        assertEquals(app.ok(), marked, "every accepted message must be marked read");
      }

      System.out.printf(
          "bench: seconds=%d concurrency=%d users=%d warmup_ok=%d%n",
          seconds, concurrency, USERS, warm.ok());
      print("whatsapp.webhook", app);
      print("bare_vertx", bareResult);
      System.out.printf(
          "metric: whatsapp.webhook.throughput_ratio_vs_bare = %.3f ratio%n",
          app.perSecond() / bareResult.perSecond());
      bare.close();
    } finally {
      vertx.close();
    }
  }

  /** Waits (up to 30 s) until the Graph API stand-in has a read receipt for every accepted one. */
  private static long awaitReadReceipts(String prefix, long expected) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    long marked;
    do {
      marked =
          LightGraphApiStandIn.readWamids().stream().filter(id -> id.startsWith(prefix)).count();
      if (marked >= expected) {
        break;
      }
      Thread.sleep(200);
    } while (System.nanoTime() < deadline);
    return marked;
  }

  /**
   * With {@code -Dbench.jfr=<file>}, a JFR profile ("profile" settings) of exactly the measured
   * service run, without start-up, warm-up or the bare endpoint's run.
   */
  private static Recording startProfile() throws Exception {
    String file = System.getProperty("bench.jfr", "");
    Recording recording = new Recording(Configuration.getConfiguration("profile"));
    if (!file.isBlank()) {
      recording.setDestination(Path.of(file));
      // Ten times the default sampling rate: the window is short and the cores are few.
      recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1));
      recording.start();
    }
    return recording;
  }

  private static void print(String area, Result r) {
    System.out.printf("metric: %s.throughput = %.0f requests/s%n", area, r.perSecond());
    System.out.printf("metric: %s.ack_p50 = %.2f ms%n", area, r.percentileMillis(0.50));
    System.out.printf("metric: %s.ack_p99 = %.2f ms%n", area, r.percentileMillis(0.99));
    System.out.printf("metric: %s.non_200 = %d responses%n", area, r.other());
  }

  /**
   * Signed bodies packed into one large array: G1 puts it straight into the old generation, so the
   * hundred megabytes of prepared webhooks are never copied by a young collection (as a hundred
   * thousand small arrays they were, and lengthened every GC pause of the service under test).
   */
  private static final class PreparedWebhooks {
    private static final int SIGNATURE_LENGTH = "sha256=".length() + 64;
    private static final int MAX_BODY = 1_024;

    private final byte[] slab;
    private final int[] offsets;
    private final int[] lengths;
    private int count;
    private int used;

    PreparedWebhooks(int capacity) {
      slab = new byte[capacity * (MAX_BODY / 2 + SIGNATURE_LENGTH)];
      offsets = new int[capacity];
      lengths = new int[capacity];
    }

    void add(byte[] body, String signature) {
      byte[] sig = signature.getBytes(StandardCharsets.US_ASCII);
      if (body.length > MAX_BODY / 2 || sig.length != SIGNATURE_LENGTH) {
        throw new IllegalStateException("benchmark body larger than planned: " + body.length);
      }
      offsets[count] = used;
      lengths[count] = body.length;
      System.arraycopy(sig, 0, slab, used, SIGNATURE_LENGTH);
      System.arraycopy(body, 0, slab, used + SIGNATURE_LENGTH, body.length);
      used += SIGNATURE_LENGTH + body.length;
      count++;
    }

    String signature(int slot) {
      return new String(slab, offsets[slot], SIGNATURE_LENGTH, StandardCharsets.US_ASCII);
    }

    byte[] body(int slot) {
      int from = offsets[slot] + SIGNATURE_LENGTH;
      return Arrays.copyOfRange(slab, from, from + lengths[slot]);
    }
  }

  private static byte[] webhookBody(String[] waIds, String prefix, long n) {
    String waId = waIds[(int) (n % USERS)];
    return Webhooks.textWebhook(waId, prefix + n, "benchmark message " + n)
        .getBytes(StandardCharsets.UTF_8);
  }

  private static long count(
      List<ConsumerRecord<String, byte[]>> records, String prefix, Map<String, Integer> seen) {
    seen.clear();
    for (ConsumerRecord<String, byte[]> record : records) {
      try {
        String id = InboundEvent.parseFrom(record.value()).getEventId();
        if (id.startsWith("wa:" + prefix)) {
          seen.merge(id, 1, Integer::sum);
        }
      } catch (Exception e) {
        // not ours
      }
    }
    return seen.size();
  }

  /**
   * Closed loop: {@code concurrency} senders, each sending its next webhook on the last answer.
   *
   * <p>Signing is Meta's work, not ours: the signed bodies are made before the clock starts ({@code
   * bench.pregenerate-rate} per second of run, default 8,000), so the load generator sharing the
   * two cores costs the service as little as it can. Past that many, unique runs sign on the fly;
   * the bare endpoint (which ignores bodies) cycles through the same prepared ones, so both runs
   * send identical kinds of requests at identical client cost.
   */
  private static Result run(
      Vertx vertx, int port, int concurrency, int seconds, String prefix, boolean unique)
      throws Exception {
    String[] waIds = new String[USERS];
    for (int i = 0; i < USERS; i++) {
      waIds[i] = String.valueOf(491_700_000_000L + i);
    }
    int prepared = Integer.getInteger("bench.pregenerate-rate", 8_000) * seconds;
    PreparedWebhooks bodies = new PreparedWebhooks(prepared);
    for (int i = 0; i < prepared; i++) {
      byte[] body = webhookBody(waIds, prefix, i + 1);
      bodies.add(body, SignatureVerifier.sign(Webhooks.SECRET_ONE, body));
    }
    HttpClient client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setKeepAlive(true)
                .setMaxPoolSize(concurrency)
                .setDefaultHost("127.0.0.1")
                .setDefaultPort(port));
    AtomicLong sequence = new AtomicLong();
    AtomicLong ok = new AtomicLong();
    AtomicLong other = new AtomicLong();
    List<long[]> perSender = new ArrayList<>();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    CountDownLatch done = new CountDownLatch(concurrency);
    long started = System.nanoTime();
    for (int s = 0; s < concurrency; s++) {
      long[][] latencies = {new long[1024]};
      AtomicInteger size = new AtomicInteger();
      perSender.add(null);
      int index = s;
      Runnable[] next = new Runnable[1];
      next[0] =
          () -> {
            if (System.nanoTime() >= end) {
              perSender.set(index, Arrays.copyOf(latencies[0], size.get()));
              done.countDown();
              return;
            }
            long n = sequence.incrementAndGet();
            byte[] body;
            String signature;
            if (n <= prepared || (!unique && prepared > 0)) {
              int slot = (int) ((n - 1) % prepared);
              body = bodies.body(slot);
              signature = bodies.signature(slot);
            } else {
              body = webhookBody(waIds, prefix, n);
              signature = SignatureVerifier.sign(Webhooks.SECRET_ONE, body);
            }
            long t0 = System.nanoTime();
            client
                .request(
                    new RequestOptions()
                        .setMethod(HttpMethod.POST)
                        .setURI("/webhooks/whatsapp")
                        .addHeader("Content-Type", "application/json")
                        .addHeader("X-Hub-Signature-256", signature))
                .compose(request -> request.send(Buffer.buffer(body)))
                .compose(response -> response.body().map(b -> response.statusCode()))
                .onComplete(
                    result -> {
                      long latency = System.nanoTime() - t0;
                      if (result.succeeded() && result.result() == 200) {
                        ok.incrementAndGet();
                      } else {
                        other.incrementAndGet();
                      }
                      if (size.get() == latencies[0].length) {
                        latencies[0] = Arrays.copyOf(latencies[0], latencies[0].length * 2);
                      }
                      latencies[0][size.getAndIncrement()] = latency;
                      next[0].run();
                    });
          };
      vertx.runOnContext(ignored -> next[0].run());
    }
    done.await(seconds + 60, TimeUnit.SECONDS);
    double elapsed = (System.nanoTime() - started) / 1e9;
    client.close();
    long[] all = perSender.stream().flatMapToLong(Arrays::stream).sorted().toArray();
    return new Result(sequence.get(), ok.get(), other.get(), elapsed, all);
  }
}

package dev.switchboard.systemtests;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.switchboard.launcher.Platform;
import dev.switchboard.launcher.PlatformOptions.WhatsAppNumber;
import dev.switchboard.launcher.SampleWebhook;
import dev.switchboard.systemtests.OtlpTraceReceiver.ReceivedSpan;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Observability of one WhatsApp turn across the packaged services: with tracing switched on and
 * exported over OTLP/HTTP to an in-test collector, the turn is ONE trace from the webhook through
 * Kafka, the core, gRPC to model-adapter, Kafka back, and the Graph API send; and neither the
 * person's phone number nor their words appear in any service's log.
 */
class WhatsAppTraceIT {
  private static final WhatsAppNumber NUMBER = TestPlatform.NUMBER;
  private static final String USER_WA_ID = "15557008642";
  private static final String USER_TEXT = "tangerine lighthouse 4711";

  private static WireMockServer graphApi;
  private static OtlpTraceReceiver collector;
  private static Platform platform;

  @BeforeAll
  static void startPlatform() throws Exception {
    collector = OtlpTraceReceiver.start();
    graphApi = GraphApiStandIn.start();
    platform =
        TestPlatform.start(
            "platform-trace",
            graphApi.baseUrl(),
            Map.of(
                "quarkus.otel.sdk.disabled", "false",
                "quarkus.otel.exporter.otlp.traces.endpoint", collector.endpoint(),
                // Export within a fraction of a second instead of the default 5 s.
                "quarkus.otel.bsp.schedule.delay", "200ms"));

    byte[] webhook =
        SampleWebhook.textMessage(
            NUMBER.phoneNumberId(), USER_WA_ID, "wamid.trace-test-1", USER_TEXT, Instant.now());
    assertEquals(
        200, SampleWebhook.post(platform.whatsAppWebhookUrl(), webhook, NUMBER.appSecret()));
    Eventually.await(
        "a reply to the traced message at the Graph API",
        Duration.ofSeconds(60),
        () ->
            graphApi.findAll(
                postRequestedFor(urlPathMatching(".*/messages"))
                    .withRequestBody(matchingJsonPath("$.type", equalTo("text")))
                    .withRequestBody(matchingJsonPath("$.to", equalTo(USER_WA_ID)))),
        replies -> !replies.isEmpty());
  }

  @AfterAll
  static void stopPlatform() throws Exception {
    if (platform != null) {
      platform.close();
    }
    if (graphApi != null) {
      graphApi.stop();
    }
    if (collector != null) {
      collector.close();
    }
  }

  @Test
  void oneTraceCoversTheWholeWhatsAppTurn() throws Exception {
    List<ReceivedSpan> trace;
    try {
      trace =
          Eventually.await(
              "one trace from the webhook to the Graph API send",
              Duration.ofSeconds(30),
              WhatsAppTraceIT::webhookTrace,
              spans -> spans.stream().anyMatch(WhatsAppTraceIT::isReplySend));
    } catch (AssertionError e) {
      throw new AssertionError(
          e.getMessage() + "; spans received:\n" + describe(collector.spans()), e);
    }
    System.out.println("The WhatsApp turn's trace:\n" + describe(trace));
    Set<String> services = trace.stream().map(ReceivedSpan::service).collect(Collectors.toSet());
    assertTrue(
        services.containsAll(Set.of("channel-whatsapp", "conversation-core", "model-adapter")),
        "services in the turn's trace: " + services + "\n" + describe(trace));
    assertTrue(
        trace.stream()
            .anyMatch(s -> s.service().equals("model-adapter") && s.kind() == ReceivedSpan.SERVER),
        "model-adapter's gRPC server span joins the trace\n" + describe(trace));
    assertTrue(
        trace.stream()
            .anyMatch(
                s -> s.service().equals("conversation-core") && s.kind() == ReceivedSpan.CONSUMER),
        "the core's Kafka consumer span joins the trace\n" + describe(trace));
    assertTrue(
        trace.stream()
            .anyMatch(
                s -> s.service().equals("conversation-core") && s.kind() == ReceivedSpan.PRODUCER),
        "the core's reply produce joins the trace\n" + describe(trace));
    assertTrue(
        trace.stream()
            .anyMatch(
                s -> s.service().equals("channel-whatsapp") && s.kind() == ReceivedSpan.CONSUMER),
        "channel-whatsapp's reply consumer span joins the trace\n" + describe(trace));
    assertTrue(collector.malformed().isEmpty(), "unreadable exports: " + collector.malformed());
  }

  @Test
  void logsNeverCarryThePhoneNumberOrTheMessageText() throws IOException {
    Path logs = platform.options().dataDir().resolve("logs");
    List<Path> files;
    try (Stream<Path> list = Files.list(logs)) {
      files = list.filter(p -> p.toString().endsWith(".log")).sorted().toList();
    }
    assertTrue(
        files.stream().map(p -> p.getFileName().toString()).toList().contains("whatsapp.log"),
        "service logs present: " + files);
    List<String> leaks = new ArrayList<>();
    for (Path file : files) {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      assertFalse(lines.isEmpty(), file + " is empty: the scan would prove nothing");
      for (String line : lines) {
        for (String secret : List.of(USER_WA_ID, "+" + USER_WA_ID, USER_TEXT, "lighthouse")) {
          if (line.contains(secret)) {
            leaks.add(file.getFileName() + ": " + line);
          }
        }
      }
    }
    assertEquals(List.of(), leaks, "phone number or message text in the services' logs");
  }

  /** The spans of the trace whose root is channel-whatsapp's webhook request, if any. */
  private static List<ReceivedSpan> webhookTrace() {
    List<ReceivedSpan> all = collector.spans();
    Optional<String> traceId =
        all.stream()
            .filter(
                s ->
                    s.service().equals("channel-whatsapp")
                        && s.kind() == ReceivedSpan.SERVER
                        && s.parentSpanId().isEmpty()
                        && s.name().contains("webhooks/whatsapp"))
            .map(ReceivedSpan::traceId)
            .filter(id -> all.stream().anyMatch(s -> s.traceId().equals(id) && isReplySend(s)))
            .findFirst();
    return traceId
        .map(id -> all.stream().filter(s -> s.traceId().equals(id)).toList())
        .orElse(List.of());
  }

  private static boolean isReplySend(ReceivedSpan span) {
    return span.service().equals("channel-whatsapp") && span.name().equals("whatsapp reply send");
  }

  private static String describe(List<ReceivedSpan> spans) {
    return spans.stream()
        .map(
            s ->
                String.join(
                    " | ",
                    s.service(),
                    s.name(),
                    "kind " + s.kind(),
                    "trace " + s.traceId(),
                    "span " + s.spanId(),
                    "parent " + s.parentSpanId()))
        .collect(Collectors.joining("\n"));
  }
}

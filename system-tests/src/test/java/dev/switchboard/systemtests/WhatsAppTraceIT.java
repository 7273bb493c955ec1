package dev.switchboard.systemtests;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.switchboard.launcher.Platform;
import dev.switchboard.launcher.PlatformOptions.WhatsAppNumber;
import dev.switchboard.launcher.SampleWebhook;
import dev.switchboard.systemtests.OtlpTraceReceiver.ReceivedSpan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
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
 * Kafka, the core, gRPC to model-adapter, Kafka back, and the Graph API send; every service logs
 * JSON lines (production profile) that carry the trace and span ids of the work they describe; and
 * neither the person's phone number nor their words appear in any service's log.
 */
class WhatsAppTraceIT {
  private static final WhatsAppNumber NUMBER = TestPlatform.NUMBER;
  private static final String USER_WA_ID = "15557008642";
  private static final String USER_TEXT = "tangerine lighthouse 4711";

  /** The log files the launcher writes, one per service, named by the service's short name. */
  private static final Map<String, String> SERVICE_LOGS =
      Map.of(
          "whatsapp.log", "channel-whatsapp",
          "core.log", "conversation-core",
          "model.log", "model-adapter",
          "voice.log", "channel-voice",
          "review.log", "safety-review");

  private static final ObjectMapper JSON = new ObjectMapper();

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

  @Test
  void everyServiceLogsJsonLinesWithTimestampLevelLoggerAndMessage() throws IOException {
    Path logs = platform.options().dataDir().resolve("logs");
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, String> log : SERVICE_LOGS.entrySet()) {
      List<String> lines = Files.readAllLines(logs.resolve(log.getKey()), StandardCharsets.UTF_8);
      assertFalse(lines.isEmpty(), log.getKey() + " is empty: the check would prove nothing");
      for (String line : lines) {
        String problem = jsonRecordProblem(line, log.getValue());
        if (problem != null) {
          problems.add(log.getKey() + ": " + problem + ": " + line);
        }
      }
    }
    assertEquals(List.of(), problems, "service log lines that are not JSON log records");
  }

  @Test
  void aLogLineWrittenWhileHandlingAWebhookCarriesThatRequestsTraceAndSpan() throws Exception {
    // Meta reports an asynchronous Cloud API failure as a webhook whose change carries errors[].
    ObjectNode root = JSON.createObjectNode().put("object", "whatsapp_business_account");
    ObjectNode value =
        root.putArray("entry")
            .addObject()
            .put("id", "0")
            .putArray("changes")
            .addObject()
            .put("field", "messages")
            .putObject("value")
            .put("messaging_product", "whatsapp");
    value
        .putObject("metadata")
        .put("display_phone_number", "15550000000")
        .put("phone_number_id", NUMBER.phoneNumberId());
    value
        .putArray("errors")
        .addObject()
        .put("code", 131000)
        .put("title", "Something went wrong")
        .put("message", "Something went wrong")
        .putObject("error_data")
        .put("details", "trace-log-test");
    assertEquals(
        200,
        SampleWebhook.post(
            platform.whatsAppWebhookUrl(), JSON.writeValueAsBytes(root), NUMBER.appSecret()));

    Path whatsAppLog = platform.options().dataDir().resolve("logs").resolve("whatsapp.log");
    JsonNode record =
        Eventually.await(
                "channel-whatsapp's log line about the reported Cloud API error",
                Duration.ofSeconds(20),
                () -> firstRecord(whatsAppLog, "Cloud API reported error 131000"),
                Optional::isPresent)
            .orElseThrow();
    String traceId = record.at("/mdc/traceId").asText();
    String spanId = record.at("/mdc/spanId").asText();
    assertTrue(
        traceId.matches("[0-9a-f]{32}") && spanId.matches("[0-9a-f]{16}"),
        "trace and span ids in the record's mdc: " + record);
    List<ReceivedSpan> trace =
        Eventually.await(
            "the webhook request's spans at the collector",
            Duration.ofSeconds(30),
            () -> collector.spans().stream().filter(s -> s.traceId().equals(traceId)).toList(),
            spans -> spans.stream().anyMatch(s -> s.spanId().equals(spanId)));
    assertTrue(
        trace.stream()
            .anyMatch(
                s ->
                    s.service().equals("channel-whatsapp")
                        && s.kind() == ReceivedSpan.SERVER
                        && s.name().contains("webhooks/whatsapp")),
        "the logged trace is the webhook request's\n" + describe(trace));
  }

  /**
   * Why {@code line} is not a JSON log record of {@code service} with an ISO-8601 timestamp, a
   * level, a logger and a message; {@code null} when it is one.
   */
  private static String jsonRecordProblem(String line, String service) {
    JsonNode record;
    try {
      record = JSON.readTree(line);
    } catch (IOException e) {
      return "not JSON";
    }
    if (record == null || !record.isObject()) {
      return "not a JSON object";
    }
    try {
      OffsetDateTime.parse(record.path("timestamp").asText());
    } catch (DateTimeParseException e) {
      return "no ISO-8601 timestamp";
    }
    if (!Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL")
        .contains(record.path("level").asText())) {
      return "no level";
    }
    if (record.path("loggerName").asText().isEmpty()) {
      return "no loggerName";
    }
    if (!record.path("message").isTextual()) {
      return "no message";
    }
    if (!service.equals(record.path("service").asText())) {
      return "not marked as " + service;
    }
    return null;
  }

  private static Optional<JsonNode> firstRecord(Path log, String messagePrefix) {
    try {
      for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
        if (line.contains(messagePrefix)) {
          JsonNode record = JSON.readTree(line);
          if (record.path("message").asText().startsWith(messagePrefix)) {
            return Optional.of(record);
          }
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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

package dev.switchboard.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.launcher.Platform;
import dev.switchboard.systemtests.OtlpTraceReceiver.ReceivedSpan;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Observability of a phone call across the packaged services: with tracing switched on and exported
 * over OTLP/HTTP to an in-test collector, a real SIP peer (SIPp) calls, is answered, hears the
 * greeting and hangs up; the call's first turn is ONE trace from channel-voice's INVITE server span
 * through Kafka ({@code call_started}) to the core's processing of it, Kafka back ({@code
 * call_directive} on {@code conversation.outbound.voice}) to channel-voice playing the greeting,
 * whose TTS request goes over gRPC to model-adapter. The caller's number appears in no exported
 * span and no service's log; the Call-ID in no exported span.
 */
class VoiceTraceIT {
  /** A US number (the core's default allowed country), used nowhere else. */
  private static final String CALLER = "+12125557394";

  private static final String VOICE = "channel-voice";
  private static final String CORE = "conversation-core";
  private static final String MODEL = "model-adapter";

  private static OtlpTraceReceiver collector;
  private static Platform platform;
  private static VoiceTraceCaller caller;
  private static VoiceTraceCaller.Outcome sipp;

  @BeforeAll
  static void placeACall() throws Exception {
    Path sippExecutable = VoiceTraceCaller.requireSipp(); // before the minute the platform takes
    collector = OtlpTraceReceiver.start();
    platform =
        TestPlatform.start(
            "platform-voice-trace",
            null,
            Map.of(
                "quarkus.otel.sdk.disabled", "false",
                "quarkus.otel.exporter.otlp.traces.endpoint", collector.endpoint(),
                // Export within a fraction of a second instead of the default 5 s.
                "quarkus.otel.bsp.schedule.delay", "200ms"));
    // Long enough for the greeting with its disclosure to be synthesized and played.
    caller = VoiceTraceCaller.call(sippExecutable, platform.ports().sip(), CALLER, 12_000);
    sipp = caller.outcome().get(150, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stopPlatform() throws Exception {
    if (caller != null) {
      caller.close();
    }
    if (platform != null) {
      platform.close();
    }
    if (collector != null) {
      collector.close();
    }
  }

  @Test
  void theCallerIsAnsweredAndHearsTheGreeting() {
    assertTrue(sipp.passed(), () -> "SIPp's call failed:\n" + sipp.output());
    // Half a second of speech at least: the greeting, not a stray packet.
    assertTrue(
        caller.speechFrames() >= 25,
        "speech frames heard: "
            + caller.speechFrames()
            + " of "
            + caller.packetsReceived()
            + " RTP packets");
  }

  @Test
  void oneTraceRunsFromTheInviteThroughTheCoreBackToTheGreeting() throws Exception {
    List<ReceivedSpan> trace;
    try {
      trace =
          Eventually.await(
              "one trace from the INVITE to model-adapter's TTS for the greeting",
              Duration.ofSeconds(30),
              VoiceTraceIT::inviteTrace,
              VoiceTraceIT::complete);
    } catch (AssertionError e) {
      throw new AssertionError(
          e.getMessage() + "; spans received:\n" + describe(collector.spans()), e);
    }
    System.out.println("The call's first trace:\n" + describe(trace));
    ReceivedSpan invite = only(trace, s -> isInvite(s), "the INVITE server span");

    ReceivedSpan published =
        only(
            trace,
            s -> is(s, VOICE, ReceivedSpan.PRODUCER) && s.parentSpanId().equals(invite.spanId()),
            "channel-voice publishing call_started inside the INVITE's span");
    ReceivedSpan coreReceived =
        only(
            trace,
            s -> is(s, CORE, ReceivedSpan.CONSUMER) && s.parentSpanId().equals(published.spanId()),
            "the core's processing of call_started, continuing channel-voice's record");
    assertTrue(
        trace.stream().anyMatch(s -> is(s, CORE, ReceivedSpan.PRODUCER)),
        "the core's directive produce joins the trace\n" + describe(trace));

    ReceivedSpan voiceReceived =
        only(
            trace,
            s ->
                is(s, VOICE, ReceivedSpan.CONSUMER)
                    && s.name().startsWith("conversation.outbound.voice"),
            "channel-voice receiving the directive from Kafka");
    ReceivedSpan hop = byId(trace, voiceReceived.parentSpanId());
    assertEquals(
        CORE,
        hop.service(),
        "the directive's record carries the core's span as its parent\n" + describe(trace));
    assertTrue(
        isDescendant(trace, hop, coreReceived),
        "the directive was produced within the core's processing of call_started\n"
            + describe(trace));

    ReceivedSpan play =
        only(
            trace,
            s ->
                s.service().equals(VOICE)
                    && s.name().equals("voice reply play")
                    && s.parentSpanId().equals(voiceReceived.spanId()),
            "playing the greeting (TTS to first RTP packet)");
    ReceivedSpan tts =
        only(
            trace,
            s ->
                is(s, VOICE, ReceivedSpan.CLIENT)
                    && s.name().contains("TextToSpeech")
                    && s.parentSpanId().equals(play.spanId()),
            "the TTS request over gRPC for the greeting");
    only(
        trace,
        s -> is(s, MODEL, ReceivedSpan.SERVER) && s.parentSpanId().equals(tts.spanId()),
        "model-adapter's gRPC server span of the synthesis");
    assertTrue(collector.malformed().isEmpty(), "unreadable exports: " + collector.malformed());
  }

  @Test
  void theHangUpIsATraceOfItsOwnThatTheCoreContinues() throws Exception {
    List<ReceivedSpan> ended = awaitCallEndedInTheCore();
    assertTrue(
        ended.stream().noneMatch(s -> s.traceId().equals(inviteTrace().get(0).traceId())),
        "call_ended starts its own trace\n" + describe(ended));
  }

  @Test
  void theCallersNumberIsInNoSpanAndNoLogAndTheCallIdInNoSpan() throws Exception {
    awaitCallEndedInTheCore(); // the last thing any service logs about the call
    String digits = CALLER.substring(1);
    for (byte[] export : collector.rawExports()) {
      String text = new String(export, StandardCharsets.ISO_8859_1);
      assertFalse(text.contains(digits), "an exported span carries the caller's number");
      // Spans name the call by a hash of its Call-ID only (a Call-ID may embed a host or number).
      assertFalse(text.contains(caller.callId()), "an exported span carries the Call-ID");
    }
    Path logs = platform.options().dataDir().resolve("logs");
    List<Path> files;
    try (Stream<Path> list = Files.list(logs)) {
      files = list.filter(p -> p.toString().endsWith(".log")).sorted().toList();
    }
    assertTrue(
        files.stream().map(p -> p.getFileName().toString()).toList().contains("voice.log"),
        "service logs present: " + files);
    assertTrue(
        readLines(logs.resolve("voice.log")).stream().anyMatch(l -> l.contains(caller.callId())),
        "the Call-ID this test looks for is the call's (channel-voice logs it): "
            + caller.callId());
    List<String> leaks = new ArrayList<>();
    for (Path file : files) {
      List<String> lines = readLines(file);
      for (String line : lines) {
        if (line.contains(digits)) {
          leaks.add(file.getFileName() + ": " + line);
        }
      }
    }
    assertEquals(List.of(), leaks, "the caller's number in the services' logs");
  }

  // ---- the trace ----

  /**
   * The trace of the core processing {@code call_ended}: channel-voice publishes it in a trace of
   * its own (a root producer span, linked to the INVITE), which the core's consumer continues.
   */
  private static List<ReceivedSpan> awaitCallEndedInTheCore() throws InterruptedException {
    return Eventually.await(
        "the core's processing of call_ended",
        Duration.ofSeconds(60),
        () -> {
          List<ReceivedSpan> all = collector.spans();
          return all.stream()
              .filter(
                  s ->
                      is(s, VOICE, ReceivedSpan.PRODUCER)
                          && s.parentSpanId().isEmpty()
                          && all.stream()
                              .anyMatch(
                                  c ->
                                      is(c, CORE, ReceivedSpan.CONSUMER)
                                          && c.parentSpanId().equals(s.spanId())))
              .findFirst()
              .map(root -> all.stream().filter(c -> c.traceId().equals(root.traceId())).toList())
              .orElse(List.of());
        },
        trace -> !trace.isEmpty());
  }

  /** The spans of the trace rooted at channel-voice's INVITE server span, if one arrived. */
  private static List<ReceivedSpan> inviteTrace() {
    List<ReceivedSpan> all = collector.spans();
    Optional<String> traceId =
        all.stream().filter(VoiceTraceIT::isInvite).map(ReceivedSpan::traceId).findFirst();
    return traceId
        .map(id -> all.stream().filter(s -> s.traceId().equals(id)).toList())
        .orElse(List.of());
  }

  private static boolean complete(List<ReceivedSpan> trace) {
    return trace.stream().anyMatch(s -> is(s, MODEL, ReceivedSpan.SERVER))
        && trace.stream().anyMatch(s -> s.name().equals("voice reply play"))
        && trace.stream().anyMatch(s -> is(s, CORE, ReceivedSpan.CONSUMER));
  }

  private static boolean isInvite(ReceivedSpan s) {
    return is(s, VOICE, ReceivedSpan.SERVER)
        && s.name().equals("SIP INVITE")
        && s.parentSpanId().isEmpty();
  }

  private static boolean is(ReceivedSpan s, String service, int kind) {
    return s.service().equals(service) && s.kind() == kind;
  }

  private static ReceivedSpan only(
      List<ReceivedSpan> trace, Predicate<ReceivedSpan> wanted, String what) {
    List<ReceivedSpan> found = trace.stream().filter(wanted).toList();
    assertEquals(1, found.size(), () -> what + ": " + found.size() + " in\n" + describe(trace));
    return found.get(0);
  }

  private static ReceivedSpan byId(List<ReceivedSpan> trace, String spanId) {
    return trace.stream()
        .filter(s -> s.spanId().equals(spanId))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("span " + spanId + " not in the trace\n" + describe(trace)));
  }

  /** Whether {@code span} lies under {@code ancestor} (following parent ids within the trace). */
  private static boolean isDescendant(
      List<ReceivedSpan> trace, ReceivedSpan span, ReceivedSpan ancestor) {
    ReceivedSpan current = span;
    for (int hops = 0; hops < trace.size() && current != null; hops++) {
      if (current.spanId().equals(ancestor.spanId())) {
        return true;
      }
      String parent = current.parentSpanId();
      current = trace.stream().filter(s -> s.spanId().equals(parent)).findFirst().orElse(null);
    }
    return false;
  }

  private static List<String> readLines(Path file) throws IOException {
    return Files.readAllLines(file, StandardCharsets.UTF_8);
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

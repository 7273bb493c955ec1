package dev.switchboard.voice.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.contracts.Topics;
import dev.switchboard.contracts.events.CallDirective;
import dev.switchboard.contracts.events.InboundEvent;
import dev.switchboard.contracts.events.OutboundEvent;
import dev.switchboard.contracts.events.ReplyChunk;
import dev.switchboard.devstack.DevStackTestResource;
import dev.switchboard.voice.call.InviteTracing;
import dev.switchboard.voice.standin.SpeechStandIn;
import dev.switchboard.voice.standin.SpeechStandInResource;
import dev.switchboard.voice.testsupport.RecordingSpanExporter;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Tracing of a whole call with real parts (SIPp, the real Kafka broker, model-adapter stood in for
 * at its gRPC boundary), the test acting as the conversation core at the Kafka boundary the way the
 * core's instrumented connector does: it reads the W3C {@code traceparent} header of each inbound
 * record and writes its replies with a {@code traceparent} continuing that trace. Checked: every
 * record channel-voice produces carries a trace context; the call's first trace starts at the
 * INVITE's server span; each caller turn is a trace of its own; the reply's play span continues the
 * core's trace, and the TTS request carries it over gRPC to model-adapter; spans and headers hold
 * no phone number and no words.
 */
@QuarkusTest
@TestProfile(TracingProfile.class)
@WithTestResource(DevStackTestResource.class)
@WithTestResource(SpeechStandInResource.class)
class ConversationTraceTest {
  private static final String CALLER_DIGITS = "12125551212";
  private static final String GREETING = "Hello, you are talking to an AI assistant";
  private static final String REPLY = "It is in Bedrock";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SipServer server;
  private final RecordingSpanExporter spans;
  private final List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();

  ConversationTraceTest(SipServer server, RecordingSpanExporter spans) {
    this.server = server;
    this.spans = spans;
  }

  @Test
  void everyHopOfTheCallCarriesItsTurnsTrace() throws Exception {
    String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    try (KafkaConsumer<String, byte[]> inbound = ConversationCallTest.inboundConsumer(bootstrap);
        KafkaProducer<String, byte[]> core = ConversationCallTest.producer(bootstrap);
        ConversationCallTest.RtpPeer peer = new ConversationCallTest.RtpPeer()) {
      CompletableFuture<Sipp.Result> call =
          CompletableFuture.supplyAsync(
              () ->
                  Sipp.run(
                      "conversation-call.xml",
                      server.port(),
                      "u1",
                      "-key",
                      "rtpport",
                      Integer.toString(peer.port()),
                      "-d",
                      "12000",
                      "-timeout",
                      "40"));

      // 1. call_started continues the trace the INVITE's server span began.
      ConsumerRecord<String, byte[]> started = await(inbound, InboundEvent::hasCallStarted);
      TraceParent startedTrace = TraceParent.of(started);
      SpanData invite = awaitSpan(s -> s.getName().equals(InviteTracing.SPAN_NAME));
      assertEquals(SpanKind.SERVER, invite.getKind());
      assertFalse(invite.getParentSpanContext().isValid(), "the INVITE starts the call's trace");
      assertEquals(
          invite.getTraceId(),
          startedTrace.traceId(),
          () -> "call_started is in the INVITE's trace; spans:\n" + describe(spans.spans()));
      SpanData publish = awaitSpan(s -> s.getSpanId().equals(startedTrace.spanId()));
      assertEquals(SpanKind.PRODUCER, publish.getKind());
      assertEquals(invite.getSpanId(), publish.getParentSpanId());
      InboundEvent startedEvent = InboundEvent.parseFrom(started.value());
      assertEquals(startedEvent.getSubjectId(), attribute(invite, "enduser.pseudo.id"));

      // 2. The core's directive comes back in that trace; the greeting's play span and its TTS
      // request over gRPC continue it.
      String coreSpan = newSpanId();
      send(
          core,
          ConversationCallTest.outbound(
                  startedEvent.getConversationId(), startedEvent.getEventId() + ":reply:0")
              .setCallDirective(
                  CallDirective.newBuilder()
                      .setCallId(startedEvent.getCallStarted().getCallId())
                      .setAccept(
                          CallDirective.Accept.newBuilder()
                              .setGreetingText(GREETING)
                              .setLanguage("en")
                              .setMaxDurationSeconds(600)))
              .build(),
          startedTrace.traceId(),
          coreSpan);
      peer.awaitQuietAfterTone(SpeechStandIn.toneMillis(GREETING) / 20, Duration.ofSeconds(10));
      SpanData received =
          awaitSpan(s -> s.getKind() == SpanKind.CONSUMER && s.getParentSpanId().equals(coreSpan));
      assertEquals(Topics.OUTBOUND_VOICE + " process", received.getName());
      assertEquals(startedTrace.traceId(), received.getTraceId());
      SpanData greeting =
          awaitSpan(
              s ->
                  s.getName().equals("voice reply play")
                      && s.getParentSpanId().equals(received.getSpanId()));
      assertEquals("greeting", attribute(greeting, "voice.utterance.kind"));
      assertEquals("played", attribute(greeting, "switchboard.outcome"), "ended at first RTP");
      SpanData tts =
          awaitSpan(
              s ->
                  s.getKind() == SpanKind.CLIENT
                      && s.getParentSpanId().equals(greeting.getSpanId()));
      assertTrue(tts.getName().contains("Synthesize"), "the TTS gRPC call: " + tts.getName());
      List<String> ttsTraces = SpeechStandInResource.current().synthesisTraceparents();
      assertTrue(
          ttsTraces.stream()
              .anyMatch(
                  t -> !t.isEmpty() && TraceParent.parse(t).traceId().equals(tts.getTraceId())),
          "model-adapter receives the turn's trace with the TTS request: " + ttsTraces);

      // 3. A caller turn is a trace of its own, from the end of speech to user_message.
      peer.playFixture("/audio/s1_8k.wav");
      ConsumerRecord<String, byte[]> question = await(inbound, InboundEvent::hasUserMessage);
      TraceParent questionTrace = TraceParent.of(question);
      assertNotEquals(startedTrace.traceId(), questionTrace.traceId(), "one trace per turn");
      SpanData turn =
          awaitSpan(
              s ->
                  s.getName().equals("voice turn")
                      && s.getTraceId().equals(questionTrace.traceId()));
      assertEquals("published", attribute(turn, "switchboard.outcome"));
      SpanData utterance = awaitSpan(s -> s.getSpanId().equals(turn.getParentSpanId()));
      assertEquals("voice utterance", utterance.getName(), "the turn's trace starts at the speech");
      assertFalse(utterance.getParentSpanContext().isValid());
      assertTrue(
          utterance.getLinks().stream()
              .anyMatch(l -> l.getSpanContext().getSpanId().equals(invite.getSpanId())),
          "the turn's trace links back to the call's INVITE");
      SpanData stt =
          awaitSpan(
              s ->
                  s.getKind() == SpanKind.CLIENT
                      && s.getParentSpanId().equals(utterance.getSpanId()));
      assertTrue(stt.getName().contains("SpeechToText"), "the STT gRPC call: " + stt.getName());
      SpanData questionPublish = awaitSpan(s -> s.getSpanId().equals(questionTrace.spanId()));
      assertEquals(turn.getSpanId(), questionPublish.getParentSpanId());

      // 4. The reply chunk plays in the turn's trace.
      InboundEvent questionEvent = InboundEvent.parseFrom(question.value());
      String chunkSpan = newSpanId();
      send(
          core,
          ConversationCallTest.outbound(
                  questionEvent.getConversationId(), questionEvent.getEventId() + ":reply:0")
              .setReplyChunk(
                  ReplyChunk.newBuilder()
                      .setInReplyTo(questionEvent.getEventId())
                      .setText(REPLY)
                      .setLanguage("en")
                      .setLast(true))
              .build(),
          questionTrace.traceId(),
          chunkSpan);
      SpanData chunkReceived = awaitSpan(s -> s.getParentSpanId().equals(chunkSpan));
      SpanData chunkPlay =
          awaitSpan(
              s ->
                  s.getName().equals("voice reply play")
                      && s.getParentSpanId().equals(chunkReceived.getSpanId()));
      assertEquals(questionTrace.traceId(), chunkPlay.getTraceId());
      assertEquals("reply_chunk", attribute(chunkPlay, "voice.utterance.kind"));

      // 5. DTMF and the hang-up reach the core with a trace context too.
      ConsumerRecord<String, byte[]> dtmf = await(inbound, InboundEvent::hasDtmf);
      TraceParent.of(dtmf);
      Sipp.Result sipp = call.get(60, TimeUnit.SECONDS);
      assertTrue(sipp.passed(), () -> "SIPp failed\n" + sipp.describe());
      ConsumerRecord<String, byte[]> ended = await(inbound, InboundEvent::hasCallEnded);
      TraceParent endedTrace = TraceParent.of(ended);
      SpanData endedPublish = awaitSpan(s -> s.getSpanId().equals(endedTrace.spanId()));
      assertTrue(
          endedPublish.getLinks().stream()
              .anyMatch(l -> l.getSpanContext().getSpanId().equals(invite.getSpanId())),
          "call_ended links back to the call's INVITE");

      // 6. Nothing personal in any span of ours.
      String everything =
          spans.spans().stream()
              .map(s -> s.getName() + s.getAttributes() + s.getEvents())
              .collect(Collectors.joining("\n"));
      for (String secret :
          List.of(
              CALLER_DIGITS,
              startedEvent.getCallStarted().getCallId(),
              SpeechStandIn.TRANSCRIPT,
              GREETING,
              REPLY)) {
        assertFalse(everything.contains(secret), "span data reveals " + secret);
      }
    }
  }

  // ---- W3C trace context ----

  /** A parsed {@code traceparent} header: version-traceid-spanid-flags. */
  private record TraceParent(String traceId, String spanId) {
    static TraceParent of(ConsumerRecord<String, byte[]> record) {
      Header header = record.headers().lastHeader("traceparent");
      assertTrue(header != null, "record without traceparent: " + record.headers());
      return parse(new String(header.value(), StandardCharsets.US_ASCII));
    }

    static TraceParent parse(String value) {
      String[] parts = value.split("-");
      assertEquals(4, parts.length, "traceparent " + value);
      assertEquals(32, parts[1].length());
      assertEquals(16, parts[2].length());
      return new TraceParent(parts[1], parts[2]);
    }
  }

  private static String newSpanId() {
    byte[] id = new byte[8];
    RANDOM.nextBytes(id);
    return HexFormat.of().formatHex(id);
  }

  /** Writes a reply as the core's connector would: with the turn's trace in its headers. */
  private static void send(
      KafkaProducer<String, byte[]> core, OutboundEvent event, String traceId, String spanId)
      throws Exception {
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(
            Topics.OUTBOUND_VOICE, 0, event.getConversationId(), event.toByteArray());
    record
        .headers()
        .add(
            "traceparent",
            ("00-" + traceId + "-" + spanId + "-01").getBytes(StandardCharsets.US_ASCII));
    core.send(record).get(10, TimeUnit.SECONDS);
  }

  private ConsumerRecord<String, byte[]> await(
      KafkaConsumer<String, byte[]> consumer, Predicate<InboundEvent> wanted) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<String, byte[]> r : seen) {
        if (wanted.test(InboundEvent.parseFrom(r.value()))) {
          seen.remove(r);
          return r;
        }
      }
      for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
        seen.add(r);
      }
    }
    throw new AssertionError("no such event on " + Topics.INBOUND);
  }

  private SpanData awaitSpan(Predicate<SpanData> wanted) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      Optional<SpanData> found = spans.spans().stream().filter(wanted).findFirst();
      if (found.isPresent()) {
        return found.get();
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no such span; spans:\n" + describe(spans.spans()));
  }

  private static String describe(List<SpanData> all) {
    return all.stream()
        .map(
            s ->
                String.join(
                    " | ",
                    s.getName(),
                    "kind " + s.getKind(),
                    "trace " + s.getTraceId(),
                    "span " + s.getSpanId(),
                    "parent " + s.getParentSpanId(),
                    String.valueOf(s.getAttributes())))
        .collect(Collectors.joining("\n"));
  }

  private static String attribute(SpanData span, String key) {
    return span.getAttributes().asMap().entrySet().stream()
        .filter(e -> e.getKey().getKey().equals(key))
        .map(e -> String.valueOf(e.getValue()))
        .findFirst()
        .orElse("");
  }
}

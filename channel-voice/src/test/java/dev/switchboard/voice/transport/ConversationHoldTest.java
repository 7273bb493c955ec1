package dev.switchboard.voice.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.contracts.events.CallDirective;
import dev.switchboard.contracts.events.CallEnded;
import dev.switchboard.contracts.events.InboundEvent;
import dev.switchboard.contracts.events.ReplyChunk;
import dev.switchboard.devstack.DevStackTestResource;
import dev.switchboard.voice.standin.SpeechStandIn;
import dev.switchboard.voice.standin.SpeechStandInResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.Arc;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * A caller puts the assistant on hold, twice, with real SIP re-INVITEs from SIPp ({@code
 * conversation-hold.xml}: first {@code a=sendonly} in the middle of a reply, later {@code
 * a=inactive} while nothing plays, each hold longer than the 2 s silence timeout). What the
 * caller's RTP endpoint (this test) captures proves: no RTP at all reaches the caller while on
 * hold, the reply interrupted by the hold continues after the resume and is heard whole exactly
 * once, no "are you still there?" is played into (or after) a hold, and speech the caller sends
 * while on hold (hold music, a side conversation) reaches the core neither as a question nor as a
 * barge-in.
 */
@QuarkusTest
@TestProfile(SilenceProfile.class)
@WithTestResource(DevStackTestResource.class)
@WithTestResource(SpeechStandInResource.class)
class ConversationHoldTest {
  private static final String GREETING = "Hi there";
  private static final String LONG_REPLY = ConversationCallTest.LONG_REPLY; // 4.4 s
  private static final int FRAME_MS = 20;

  private final SipServer server;

  ConversationHoldTest(SipServer server) {
    this.server = server;
  }

  @Test
  void holdSilencesUsAndResumeContinuesTheReply() throws Exception {
    String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    MeterRegistry metrics = Arc.container().instance(MeterRegistry.class).get();
    double holdsBefore = holdsCounted(metrics);
    ConversationCallTest kafka = new ConversationCallTest(server);
    try (KafkaConsumer<String, byte[]> inbound = ConversationCallTest.inboundConsumer(bootstrap);
        KafkaProducer<String, byte[]> core = ConversationCallTest.producer(bootstrap);
        ConversationCallTest.RtpPeer peer = new ConversationCallTest.RtpPeer()) {
      CompletableFuture<Sipp.Result> call =
          CompletableFuture.supplyAsync(
              () ->
                  Sipp.run(
                      "conversation-hold.xml",
                      server.port(),
                      "u1",
                      "-key",
                      "rtpport",
                      Integer.toString(peer.port()),
                      "-timeout",
                      "50"));
      InboundEvent started = kafka.await(inbound, InboundEvent::hasCallStarted, "call_started");
      String conversationId = started.getConversationId();
      ConversationCallTest.send(
          core,
          ConversationCallTest.outbound(conversationId, started.getEventId() + ":reply:0")
              .setCallDirective(
                  CallDirective.newBuilder()
                      .setCallId(started.getCallStarted().getCallId())
                      .setAccept(
                          CallDirective.Accept.newBuilder()
                              .setGreetingText(GREETING)
                              .setLanguage("en")
                              .setMaxDurationSeconds(600)))
              .build());
      // A long reply right behind the greeting: the first hold (2 s after the ACK) lands in it.
      String answered = conversationId + ":user_message:0";
      ConversationCallTest.send(
          core,
          ConversationCallTest.outbound(conversationId, answered + ":reply:0")
              .setReplyChunk(
                  ReplyChunk.newBuilder()
                      .setInReplyTo(answered)
                      .setIndex(0)
                      .setText(LONG_REPLY)
                      .setLanguage("en")
                      .setLast(true))
              .build());

      // First hold (a=sendonly), in the middle of the reply.
      // Packets are counted from 60 ms after the hold was seen (one sent just before may still be
      // on its way) to 40 ms before the resume was seen (the gauge is polled every 5 ms).
      long holdSeen = awaitOnHold(metrics, 1, Duration.ofSeconds(10));
      int toneBeforeHold = peer.toneFrames();
      // The caller talks while holding: this must reach neither speech-to-text nor barge-in.
      CompletableFuture<Void> talking =
          CompletableFuture.runAsync(
              () -> {
                try {
                  peer.playFixture("/audio/s2_8k.wav");
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      long resumeSeen = awaitOnHold(metrics, 0, Duration.ofSeconds(10));
      long packetsDuringHold =
          peer.packetsBetween(holdSeen + 60_000_000L, resumeSeen - 40_000_000L);
      int toneAtResume = peer.toneFrames();

      // Second hold (a=inactive) once the reply is over, longer than the silence timeout.
      long secondHoldSeen = awaitOnHold(metrics, 1, Duration.ofSeconds(10));
      int toneAtSecondHold = peer.toneFrames();
      long secondResumeSeen = awaitOnHold(metrics, 0, Duration.ofSeconds(10));
      long packetsDuringSecondHold =
          peer.packetsBetween(secondHoldSeen + 60_000_000L, secondResumeSeen - 40_000_000L);
      talking.get(10, TimeUnit.SECONDS);

      Sipp.Result sipp = call.get(60, TimeUnit.SECONDS);
      assertTrue(sipp.passed(), () -> "SIPp failed (did we hang up?)\n" + sipp.describe());
      int replyFrames = SpeechStandIn.toneMillis(LONG_REPLY) / FRAME_MS;
      int greetingFrames = SpeechStandIn.toneMillis(GREETING) / FRAME_MS;

      assertTrue(resumeSeen - holdSeen > 4_000_000_000L, "the first hold lasted about 5 s");
      assertEquals(0L, packetsDuringHold, "no RTP reached the caller during the first hold");
      assertEquals(0L, packetsDuringSecondHold, "no RTP reached the caller during the second hold");
      assertTrue(
          toneBeforeHold > greetingFrames,
          "the reply had started before the hold: " + toneBeforeHold + " tone frames");
      assertTrue(
          toneAtSecondHold - toneAtResume > 0,
          "the reply went on after the resume: "
              + (toneAtSecondHold - toneAtResume)
              + " tone frames");
      assertEquals(
          greetingFrames + replyFrames,
          peer.toneFrames(),
          "the greeting and the whole reply, each frame once; no still-there prompt");

      InboundEvent ended = kafka.await(inbound, InboundEvent::hasCallEnded, "call_ended");
      assertEquals(CallEnded.Reason.REASON_CALLER_HUNG_UP, ended.getCallEnded().getReason());
      List<InboundEvent> rest = drain(inbound, kafka);
      assertTrue(
          rest.stream().noneMatch(e -> e.hasUserMessage() || e.hasInterrupted()),
          "speech during the hold became neither a question nor a barge-in: " + rest);
      assertEquals(2.0, holdsCounted(metrics) - holdsBefore, "holds counted");
    }
  }

  private static double holdsCounted(MeterRegistry metrics) {
    var counter = metrics.find("switchboard.voice.holds").counter();
    return counter == null ? 0 : counter.count();
  }

  /** Waits until the on-hold gauge shows {@code calls}; returns when it was seen (nanoTime). */
  private static long awaitOnHold(MeterRegistry metrics, int calls, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      var gauge = metrics.find("switchboard.voice.calls.on_hold").gauge();
      if (gauge != null && gauge.value() == calls) {
        return System.nanoTime();
      }
      Thread.sleep(5);
    }
    throw new AssertionError("calls on hold never became " + calls);
  }

  /** Every inbound event already seen or still arriving in the next second. */
  private static List<InboundEvent> drain(
      KafkaConsumer<String, byte[]> inbound, ConversationCallTest kafka) throws Exception {
    List<InboundEvent> all = new ArrayList<>(kafka.seenEvents());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<String, byte[]> r : inbound.poll(Duration.ofMillis(200))) {
        all.add(InboundEvent.parseFrom(r.value()));
      }
    }
    return all;
  }
}

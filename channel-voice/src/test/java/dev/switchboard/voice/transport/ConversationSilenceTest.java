package dev.switchboard.voice.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.contracts.events.CallDirective;
import dev.switchboard.contracts.events.CallEnded;
import dev.switchboard.contracts.events.InboundEvent;
import dev.switchboard.devstack.DevStackTestResource;
import dev.switchboard.voice.standin.SpeechStandIn;
import dev.switchboard.voice.standin.SpeechStandInResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * A caller who says nothing (SIPp, no RTP from the test's endpoint) is asked whether they are still
 * there, then told goodbye and hung up on; the core hears CallEnded with reason SILENCE.
 */
@QuarkusTest
@TestProfile(SilenceProfile.class)
@WithTestResource(DevStackTestResource.class)
@WithTestResource(SpeechStandInResource.class)
class ConversationSilenceTest {
  private final SipServer server;

  ConversationSilenceTest(SipServer server) {
    this.server = server;
  }

  @Test
  void aSilentCallerIsAskedThenToldGoodbye() throws Exception {
    String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    ConversationCallTest kafka = new ConversationCallTest(server);
    try (KafkaConsumer<String, byte[]> inbound = ConversationCallTest.inboundConsumer(bootstrap);
        KafkaProducer<String, byte[]> core = ConversationCallTest.producer(bootstrap);
        ConversationCallTest.RtpPeer peer = new ConversationCallTest.RtpPeer()) {
      CompletableFuture<Sipp.Result> call = ConversationCallTest.waitForOurBye(server, peer);
      InboundEvent started = kafka.await(inbound, InboundEvent::hasCallStarted, "call_started");
      String greeting = "Hi there";
      ConversationCallTest.send(
          core,
          ConversationCallTest.outbound(
                  started.getConversationId(), started.getEventId() + ":reply:0")
              .setCallDirective(
                  CallDirective.newBuilder()
                      .setCallId(started.getCallStarted().getCallId())
                      .setAccept(
                          CallDirective.Accept.newBuilder()
                              .setGreetingText(greeting)
                              .setLanguage("en")
                              .setMaxDurationSeconds(600)))
              .build());
      Sipp.Result sipp = call.get(60, TimeUnit.SECONDS);
      assertTrue(sipp.passed(), () -> "we did not hang up on silence\n" + sipp.describe());
      int expectedMillis =
          SpeechStandIn.toneMillis(greeting)
              + SpeechStandIn.toneMillis("Are you still there?")
              + SpeechStandIn.toneMillis("Thank you for calling. Goodbye.");
      assertEquals(
          expectedMillis / 20,
          peer.toneFrames(),
          "greeting, the still-there prompt and the goodbye, each played whole");
      InboundEvent ended = kafka.await(inbound, InboundEvent::hasCallEnded, "call_ended");
      assertEquals(CallEnded.Reason.REASON_SILENCE, ended.getCallEnded().getReason());
    }
  }
}

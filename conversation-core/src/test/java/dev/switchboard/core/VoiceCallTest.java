package dev.switchboard.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.contracts.Topics;
import dev.switchboard.contracts.events.CallDirective;
import dev.switchboard.contracts.events.Channel;
import dev.switchboard.contracts.events.InboundEvent;
import dev.switchboard.contracts.events.OutboundEvent;
import dev.switchboard.contracts.events.ReplyChunk;
import dev.switchboard.contracts.events.TranscriptTurn;
import dev.switchboard.contracts.model.GenerateRequest;
import dev.switchboard.contracts.model.Role;
import dev.switchboard.core.standin.ModelAdapterStandIn;
import dev.switchboard.core.standin.ModelAdapterStandInResource;
import dev.switchboard.devstack.DevStackTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Calls: directives (quota, region, block), streamed sentences, interruption, usage. */
@QuarkusTest
@WithTestResource(DevStackTestResource.class)
@WithTestResource(ModelAdapterStandInResource.class)
class VoiceCallTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @Inject DataSource dataSource;
  ModelAdapterStandIn model;
  KafkaTestClient kafka;

  @BeforeEach
  void connect() {
    kafka =
        new KafkaTestClient(
            ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class),
            List.of(Topics.OUTBOUND_VOICE, Topics.SAFETY_TRANSCRIPTS));
  }

  @AfterEach
  void disconnect() {
    kafka.close();
  }

  @Test
  void acceptsAUsCallerWithTheDisclosureAndTheMonthlyMinutes() throws Exception {
    String phone = InboundEvents.randomE164();
    String callId = InboundEvents.newCallId();
    InboundEvent started = InboundEvents.callStarted(phone, callId, "US");
    send(started);

    ConsumerRecord<String, byte[]> record = await(started.getEventId() + ":reply:0");
    assertEquals(0, record.partition(), "written to the partition of the voice node");
    OutboundEvent event = OutboundEvent.parseFrom(record.value());
    assertEquals(Channel.CHANNEL_VOICE, event.getChannel());
    assertEquals("call:" + callId, event.getConversationId());
    CallDirective directive = event.getCallDirective();
    assertEquals(callId, directive.getCallId());
    assertEquals(
        "Hi, this is Switchboard, an AI assistant. Our conversation may be reviewed for safety."
            + " How can I help?",
        directive.getAccept().getGreetingText());
    assertEquals(15 * 60, directive.getAccept().getMaxDurationSeconds());
  }

  @Test
  void countsUsageOnCallEndedAndRefusesOnceTheMinutesAreUsedUp() throws Exception {
    String phone = InboundEvents.randomE164();
    String first = InboundEvents.newCallId();
    send(InboundEvents.callStarted(phone, first, "US"));
    send(InboundEvents.callEnded(phone, first, 600));
    // Redelivered: counted once. Calls are separate conversations, processed concurrently, so
    // wait until the end of one call is recorded before the next one starts.
    kafka.awaitCommitted(
        "conversation-core", send(InboundEvents.callEnded(phone, first, 600)), WAIT);

    String second = InboundEvents.newCallId();
    InboundEvent secondStart = InboundEvents.callStarted(phone, second, "US");
    send(secondStart);
    assertEquals(300, directive(secondStart).getAccept().getMaxDurationSeconds());
    kafka.awaitCommitted(
        "conversation-core", send(InboundEvents.callEnded(phone, second, 300)), WAIT);

    String third = InboundEvents.newCallId();
    InboundEvent thirdStart = InboundEvents.callStarted(phone, third, "US");
    send(thirdStart);
    CallDirective refused = directive(thirdStart);
    assertEquals("quota", refused.getRefuse().getReason());
    assertTrue(refused.getRefuse().getText().contains("used all of this month's minutes"));
  }

  @Test
  void refusesACallerFromARegionThatIsNotAllowed() throws Exception {
    String phone = InboundEvents.randomE164();
    InboundEvent started = InboundEvents.callStarted(phone, InboundEvents.newCallId(), "FR");
    send(started);
    CallDirective directive = directive(started);
    assertEquals("region", directive.getRefuse().getReason());
    assertEquals(
        "Sorry, Switchboard is not available from your country yet. Goodbye.",
        directive.getRefuse().getText());
  }

  @Test
  void streamsTheAnswerSentenceBySentenceWithItsLanguage() throws Exception {
    String phone = InboundEvents.randomE164();
    String callId = InboundEvents.newCallId();
    send(InboundEvents.callStarted(phone, callId, "US"));
    InboundEvent said =
        InboundEvents.utterance(
            phone, callId, 1, "Ask Dr. Smith. It costs 3.50 dollars. See example.com/a.b now!");
    send(said);

    List<ReplyChunk> chunks = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      chunks.add(
          OutboundEvent.parseFrom(await(said.getEventId() + ":reply:" + i).value())
              .getReplyChunk());
    }
    assertEquals("Echo: Ask Dr. Smith.", chunks.get(0).getText());
    assertEquals("It costs 3.50 dollars.", chunks.get(1).getText());
    assertEquals("See example.com/a.b now!", chunks.get(2).getText());
    assertEquals(List.of(false, false, true), chunks.stream().map(ReplyChunk::getLast).toList());
    chunks.forEach(c -> assertEquals("en-US", c.getLanguage()));
    chunks.forEach(c -> assertEquals(said.getEventId(), c.getInReplyTo()));
    assertTrue(
        model
            .requestsMentioning("Dr. Smith")
            .get(0)
            .getMessages(0)
            .getContent(0)
            .getText()
            .contains("spoken sentences"),
        "the voice system prompt is used");
  }

  @Test
  void aStreamThatStallsIsCutAtTheGenerationLimitAndTheCallGoesOn() throws Exception {
    String phone = InboundEvents.randomE164();
    String callId = InboundEvents.newCallId();
    send(InboundEvents.callStarted(phone, callId, "US"));
    InboundEvent stalled =
        InboundEvents.utterance(phone, callId, 1, "Say this. Then [stall] the rest");
    send(stalled);
    InboundEvent next = InboundEvents.utterance(phone, callId, 2, "are you there?");
    send(next);

    List<ReplyChunk> chunks = new ArrayList<>();
    for (int i = 0; ; i++) {
      ReplyChunk chunk =
          OutboundEvent.parseFrom(await(stalled.getEventId() + ":reply:" + i).value())
              .getReplyChunk();
      chunks.add(chunk);
      if (chunk.getLast()) {
        break;
      }
    }
    assertEquals("Echo: Say this.", chunks.get(0).getText());
    String spoken = chunks.stream().map(ReplyChunk::getText).reduce("", (a, b) -> a + " " + b);
    assertTrue(
        spoken.contains("Sorry, I can't answer right now."),
        "the apology ends the cut answer: " + spoken);
    assertEquals(
        "Echo: are you there?",
        OutboundEvent.parseFrom(await(next.getEventId() + ":reply:0").value())
            .getReplyChunk()
            .getText(),
        "the conversation is not held by the stalled stream");
  }

  @Test
  void anInterruptionCancelsTheGenerationInFlight() throws Exception {
    String phone = InboundEvents.randomE164();
    String callId = InboundEvents.newCallId();
    send(InboundEvents.callStarted(phone, callId, "US"));
    int cancelledBefore = model.cancelledStreams();
    InboundEvent said = InboundEvents.utterance(phone, callId, 1, "[delay=5000] long story");
    send(said);
    while (model.requestsMentioning("long story").isEmpty()) {
      Thread.sleep(20);
    }
    send(InboundEvents.interrupted(phone, callId, 1, said.getEventId()));

    TranscriptTurn transcript =
        TranscriptTurn.parseFrom(
            kafka
                .await(Topics.SAFETY_TRANSCRIPTS, r -> ("call:" + callId).equals(r.key()), WAIT)
                .value());
    assertTrue(transcript.getInterrupted());
    assertTrue(model.cancelledStreams() > cancelledBefore, "the gRPC stream was cancelled");
    assertFalse(
        Db.turnsOf(dataSource, said.getSubjectId()).stream()
            .anyMatch(t -> t.contains("Sorry, I can't answer")),
        "an interruption is not a failure: no apology");
    assertTrue(
        kafka
            .all(
                Topics.OUTBOUND_VOICE,
                r -> {
                  try {
                    return OutboundEvent.parseFrom(r.value())
                        .getEventId()
                        .startsWith(said.getEventId() + ":reply:");
                  } catch (Exception e) {
                    return false;
                  }
                },
                Duration.ofSeconds(1))
            .isEmpty(),
        "nothing more is said after the interruption");
  }

  @Test
  void aReplyTheCallerTalksOverIsStoredAsInterruptedEvenWhenItsGenerationHadFinished()
      throws Exception {
    String phone = InboundEvents.randomE164();
    String callId = InboundEvents.newCallId();
    send(InboundEvents.callStarted(phone, callId, "US"));
    InboundEvent said = InboundEvents.utterance(phone, callId, 1, "tell me a story");
    send(said);
    // The whole reply is generated and stored before the caller has heard much of it.
    kafka.await(Topics.SAFETY_TRANSCRIPTS, r -> ("call:" + callId).equals(r.key()), WAIT);
    assertFalse(Db.turnsOf(dataSource, said.getSubjectId()).get(1).endsWith("|interrupted"));

    send(InboundEvents.interrupted(phone, callId, 1, said.getEventId()));

    long deadline = System.nanoTime() + WAIT.toNanos();
    List<String> turns = Db.turnsOf(dataSource, said.getSubjectId());
    while (!turns.get(1).endsWith("|interrupted") && System.nanoTime() < deadline) {
      Thread.sleep(50);
      turns = Db.turnsOf(dataSource, said.getSubjectId());
    }
    assertTrue(turns.get(0).startsWith("user|tell me a story"), turns.toString());
    assertTrue(turns.get(1).startsWith("assistant|"), turns.toString());
    assertTrue(turns.get(1).endsWith("|interrupted"), "the reply is marked interrupted: " + turns);
  }

  @Test
  void aCompletedReplyTheCallerTalkedOverIsCorrectedToWhatTheyHeardOnce() throws Exception {
    String phone = InboundEvents.randomE164();
    String callId = InboundEvents.newCallId();
    String conversation = "call:" + callId;
    send(InboundEvents.callStarted(phone, callId, "US"));
    InboundEvent said =
        InboundEvents.utterance(phone, callId, 1, "Tell me about Bedrock. Who lives there?");
    send(said);
    String whole = ModelAdapterStandIn.answerTo("Tell me about Bedrock. Who lives there?");
    TranscriptTurn first =
        TranscriptTurn.parseFrom(
            kafka
                .await(Topics.SAFETY_TRANSCRIPTS, r -> conversation.equals(r.key()), WAIT)
                .value());
    assertFalse(first.getInterrupted());
    assertEquals(whole, first.getAssistantText(), "the whole reply, before the interruption");

    // The voice channel heard the caller speak over the second sentence.
    String heard = "Echo: Tell me about Bedrock. Who";
    InboundEvent interruption =
        InboundEvents.interrupted(phone, callId, 1, said.getEventId(), heard);
    send(interruption);

    String correctedId = said.getEventId() + ":transcript:interrupted";
    TranscriptTurn corrected =
        TranscriptTurn.parseFrom(
            kafka
                .await(Topics.SAFETY_TRANSCRIPTS, r -> eventId(r).equals(correctedId), WAIT)
                .value());
    assertTrue(corrected.getInterrupted());
    assertEquals(heard, corrected.getAssistantText());
    assertEquals(conversation, corrected.getConversationId());
    assertEquals(first.getTurnIndex(), corrected.getTurnIndex(), "the same turn");
    assertEquals(first.getUserText(), corrected.getUserText());
    assertEquals(first.getSubjectId(), corrected.getSubjectId());
    assertEquals(
        List.of(
            "user|Tell me about Bedrock. Who lives there?|-", "assistant|" + heard + "|" + whole),
        Db.turnsWithGeneratedText(dataSource, said.getSubjectId()),
        "stored as heard, the generated reply kept");
    assertTrue(Db.turnsOf(dataSource, said.getSubjectId()).get(1).endsWith("|interrupted"));

    // Redelivered: recorded once, nothing published again.
    kafka.awaitCommitted("conversation-core", send(interruption), WAIT);

    // The next prompt's history says what the caller heard, not what was generated.
    InboundEvent next = InboundEvents.utterance(phone, callId, 2, "And then what?");
    send(next);
    await(next.getEventId() + ":reply:0");
    GenerateRequest prompt = model.requestsMentioning("And then what?").get(0);
    List<String> assistantHistory =
        prompt.getMessagesList().stream()
            .filter(m -> m.getRole() == Role.ROLE_ASSISTANT)
            .map(m -> m.getContent(0).getText())
            .toList();
    assertEquals(List.of(heard), assistantHistory);

    List<ConsumerRecord<String, byte[]>> transcripts =
        kafka.all(
            Topics.SAFETY_TRANSCRIPTS,
            r -> conversation.equals(r.key()) && eventId(r).startsWith(said.getEventId()),
            Duration.ofSeconds(1));
    assertEquals(
        List.of(said.getEventId() + ":transcript", correctedId),
        transcripts.stream().map(VoiceCallTest::eventId).toList(),
        "the first transcript and one correction, nothing for the redelivery");
  }

  @Test
  void aReplyStoppedWhileGeneratingIsStoredAsTheCallerHeardIt() throws Exception {
    String phone = InboundEvents.randomE164();
    String callId = InboundEvents.newCallId();
    send(InboundEvents.callStarted(phone, callId, "US"));
    InboundEvent said = InboundEvents.utterance(phone, callId, 1, "Say this. Then [stall] more");
    send(said);
    assertEquals(
        "Echo: Say this.",
        OutboundEvent.parseFrom(await(said.getEventId() + ":reply:0").value())
            .getReplyChunk()
            .getText());

    // The caller spoke over the first sentence while the model was still generating.
    send(InboundEvents.interrupted(phone, callId, 1, said.getEventId(), "Echo: Say"));

    TranscriptTurn transcript =
        TranscriptTurn.parseFrom(
            kafka
                .await(Topics.SAFETY_TRANSCRIPTS, r -> ("call:" + callId).equals(r.key()), WAIT)
                .value());
    assertTrue(transcript.getInterrupted());
    assertEquals("Echo: Say", transcript.getAssistantText());
    assertEquals(said.getEventId() + ":transcript", transcript.getEventId());
    assertEquals(
        "assistant|Echo: Say|interrupted", Db.turnsOf(dataSource, said.getSubjectId()).get(1));
  }

  private static String eventId(ConsumerRecord<String, byte[]> r) {
    try {
      return TranscriptTurn.parseFrom(r.value()).getEventId();
    } catch (Exception e) {
      return "";
    }
  }

  private RecordMetadata send(InboundEvent event) {
    return kafka.send(Topics.INBOUND, event.getConversationId(), event.toByteArray());
  }

  private CallDirective directive(InboundEvent started) throws Exception {
    return OutboundEvent.parseFrom(await(started.getEventId() + ":reply:0").value())
        .getCallDirective();
  }

  private ConsumerRecord<String, byte[]> await(String eventId) {
    return kafka.awaitOutbound(Topics.OUTBOUND_VOICE, eventId, WAIT);
  }
}

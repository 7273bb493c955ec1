package dev.switchboard.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.contracts.Topics;
import dev.switchboard.contracts.events.Channel;
import dev.switchboard.contracts.events.InboundEvent;
import dev.switchboard.contracts.events.OutboundEvent;
import dev.switchboard.contracts.events.ReplyMessage;
import dev.switchboard.contracts.events.ReplyRoute;
import dev.switchboard.contracts.events.TranscriptTurn;
import dev.switchboard.contracts.model.GenerateRequest;
import dev.switchboard.contracts.model.Role;
import dev.switchboard.core.privacy.PhoneNumberCipher;
import dev.switchboard.core.standin.ModelAdapterStandIn;
import dev.switchboard.core.standin.ModelAdapterStandInResource;
import dev.switchboard.devstack.DevStackTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A WhatsApp text through the core, against the real broker and database. */
@QuarkusTest
@WithTestResource(DevStackTestResource.class)
@WithTestResource(ModelAdapterStandInResource.class)
class WhatsAppTurnTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  static final String DISCLOSURE =
      "_I'm Switchboard, an AI assistant. Our conversation may be reviewed for safety. Send"
          + " \"delete my data\" at any time to erase it._";

  @Inject DataSource dataSource;
  @Inject PhoneNumberCipher cipher;
  ModelAdapterStandIn model;
  KafkaTestClient kafka;

  @BeforeEach
  void connect() {
    kafka =
        new KafkaTestClient(
            ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class),
            List.of(
                Topics.OUTBOUND_WHATSAPP,
                Topics.SAFETY_TRANSCRIPTS,
                Topics.deadLetterOf(Topics.INBOUND)));
  }

  @AfterEach
  void disconnect() {
    kafka.close();
  }

  @Test
  void answersWithTheModelReplyAndStoresBothTurns() throws Exception {
    String phone = InboundEvents.randomE164();
    String wamid = InboundEvents.newWamid();
    InboundEvent inbound = InboundEvents.whatsappText(phone, wamid, "What is the capital of Peru?");

    kafka.send(Topics.INBOUND, inbound.getConversationId(), inbound.toByteArray());

    ConsumerRecord<String, byte[]> record = awaitReply(inbound);
    OutboundEvent reply = OutboundEvent.parseFrom(record.value());
    OutboundEvent expected =
        OutboundEvent.newBuilder()
            .setEventId(inbound.getEventId() + ":reply:0")
            .setConversationId(inbound.getConversationId())
            .setSubjectId(inbound.getSubjectId())
            .setChannel(Channel.CHANNEL_WHATSAPP)
            .setOccurredAt(reply.getOccurredAt())
            .setReplyRoute(
                ReplyRoute.newBuilder()
                    .setTopic(Topics.OUTBOUND_WHATSAPP)
                    .setPartition(-1)
                    .setChannelAddress(InboundEvents.PHONE_NUMBER_ID))
            .setReplyMessage(
                ReplyMessage.newBuilder()
                    .setInReplyTo(inbound.getEventId())
                    .setText(DISCLOSURE + "\n\nEcho: What is the capital of Peru?")
                    .setContextProviderMessageId(wamid))
            .build();
    assertEquals(expected, reply);
    assertEquals(inbound.getConversationId(), record.key());
    assertEquals(
        "application/x-protobuf",
        new String(record.headers().lastHeader("content-type").value(), StandardCharsets.US_ASCII));

    ConsumerRecord<String, byte[]> transcriptRecord =
        kafka.await(
            Topics.SAFETY_TRANSCRIPTS, r -> inbound.getConversationId().equals(r.key()), WAIT);
    TranscriptTurn transcript = TranscriptTurn.parseFrom(transcriptRecord.value());
    assertEquals(inbound.getEventId() + ":transcript", transcript.getEventId());
    assertEquals(inbound.getSubjectId(), transcript.getSubjectId());
    assertEquals(Channel.CHANNEL_WHATSAPP, transcript.getChannel());
    assertEquals("What is the capital of Peru?", transcript.getUserText());
    assertEquals(
        DISCLOSURE + "\n\nEcho: What is the capital of Peru?", transcript.getAssistantText());
    assertEquals(ModelAdapterStandIn.MODEL, transcript.getModel());
    assertFalse(transcript.getInterrupted());

    assertEquals(
        List.of(
            "user|What is the capital of Peru?",
            "assistant|" + DISCLOSURE + "\n\nEcho: What is the capital of Peru?"),
        turnsOf(inbound.getSubjectId()));

    GenerateRequest request = model.requestsMentioning("capital of Peru").get(0);
    assertEquals(Role.ROLE_SYSTEM, request.getMessages(0).getRole());
    assertTrue(request.getMessages(0).getContent(0).getText().contains("WhatsApp"));
    assertEquals(inbound.getConversationId(), request.getConversationId());
  }

  @Test
  void tellsTheModelThePersonsLocaleAndLocalTime() throws Exception {
    String phone = InboundEvents.randomE164();
    InboundEvent base = InboundEvents.whatsappText(phone, InboundEvents.newWamid(), "que hora es?");
    InboundEvent inbound =
        base.toBuilder()
            .setUserMessage(
                base.getUserMessage().toBuilder()
                    .setLocale("es-MX")
                    .setTimeZone("America/Mexico_City"))
            .build();
    kafka.send(Topics.INBOUND, inbound.getConversationId(), inbound.toByteArray());
    awaitReply(inbound);

    String system =
        model.requestsMentioning("que hora es?").get(0).getMessages(0).getContent(0).getText();
    assertTrue(system.contains("The person's locale is es-MX."), system);
    assertTrue(system.contains("(America/Mexico_City)."), system);
  }

  @Test
  void keepsThePhoneNumberOnlyEncrypted() throws Exception {
    String phone = InboundEvents.randomE164();
    InboundEvent inbound = InboundEvents.whatsappText(phone, InboundEvents.newWamid(), "hello");
    kafka.send(Topics.INBOUND, inbound.getConversationId(), inbound.toByteArray());
    awaitReply(inbound);

    byte[] stored;
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement("select phone_encrypted from core.person where subject_id = ?")) {
      s.setString(1, inbound.getSubjectId());
      try (ResultSet rs = s.executeQuery()) {
        assertTrue(rs.next());
        stored = rs.getBytes(1);
      }
    }
    assertNotNull(stored);
    assertFalse(
        new String(stored, StandardCharsets.ISO_8859_1).contains(phone.substring(1)),
        "the number must not be stored in clear");
    assertEquals(phone, cipher.decrypt(stored, inbound.getSubjectId()));
  }

  @Test
  void aRedeliveredEventMakesNoSecondTurnNoSecondModelCallAndNoSecondReply() throws Exception {
    String phone = InboundEvents.randomE164();
    InboundEvent inbound =
        InboundEvents.whatsappText(phone, InboundEvents.newWamid(), "redelivery check 7731");

    kafka.send(Topics.INBOUND, inbound.getConversationId(), inbound.toByteArray());
    awaitReply(inbound);
    RecordMetadata again =
        kafka.send(Topics.INBOUND, inbound.getConversationId(), inbound.toByteArray());
    kafka.awaitCommitted("conversation-core", again, WAIT);

    assertEquals(1, model.requestsMentioning("redelivery check 7731").size());
    assertEquals(2, turnsOf(inbound.getSubjectId()).size());
    assertEquals(
        1,
        kafka
            .all(
                Topics.OUTBOUND_WHATSAPP,
                r -> inbound.getConversationId().equals(r.key()),
                Duration.ofSeconds(1))
            .size());
  }

  @Test
  void storesAnyTextExactlyAndGivesItBackAsHistory() throws Exception {
    // Quotes, braces, commas, backslashes, a literal NULL, an emoji and a line break: the turns of
    // a group commit travel to the database as arrays, and none of this may change on the way.
    String tricky = "He said \"hi\", {a,b} \\ NULL 'x' 🙂\nsecond line";
    String phone = InboundEvents.randomE164();
    InboundEvent first = InboundEvents.whatsappText(phone, InboundEvents.newWamid(), tricky);
    kafka.send(Topics.INBOUND, first.getConversationId(), first.toByteArray());
    awaitReply(first);
    assertEquals(
        List.of("user|" + tricky, "assistant|" + DISCLOSURE + "\n\nEcho: " + tricky),
        turnsOf(first.getSubjectId()));

    InboundEvent second = InboundEvents.whatsappText(phone, InboundEvents.newWamid(), "and then?");
    kafka.send(Topics.INBOUND, second.getConversationId(), second.toByteArray());
    awaitReply(second);
    GenerateRequest request = model.requestsMentioning("and then?").get(0);
    assertEquals(tricky, request.getMessages(1).getContent(0).getText());
    assertEquals(Role.ROLE_USER, request.getMessages(1).getRole());
    assertEquals(
        DISCLOSURE + "\n\nEcho: " + tricky, request.getMessages(2).getContent(0).getText());
  }

  @Test
  void showsTheDisclosureOnlyOnTheFirstReply() throws Exception {
    String phone = InboundEvents.randomE164();
    InboundEvent first = InboundEvents.whatsappText(phone, InboundEvents.newWamid(), "hi");
    kafka.send(Topics.INBOUND, first.getConversationId(), first.toByteArray());
    assertEquals(
        DISCLOSURE + "\n\nEcho: hi",
        OutboundEvent.parseFrom(awaitReply(first).value()).getReplyMessage().getText());

    InboundEvent second = InboundEvents.whatsappText(phone, InboundEvents.newWamid(), "again");
    kafka.send(Topics.INBOUND, second.getConversationId(), second.toByteArray());
    assertEquals(
        "Echo: again",
        OutboundEvent.parseFrom(awaitReply(second).value()).getReplyMessage().getText());
  }

  @Test
  void republishesTheStoredReplyWhenItsPublicationWasNeverConfirmed() throws Exception {
    String phone = InboundEvents.randomE164();
    InboundEvent inbound =
        InboundEvents.whatsappText(phone, InboundEvents.newWamid(), "crash window 4417");
    kafka.send(Topics.INBOUND, inbound.getConversationId(), inbound.toByteArray());
    OutboundEvent original = OutboundEvent.parseFrom(awaitReply(inbound).value());

    // Once the core recorded the confirmation, undo it: as if the core had died after committing
    // the turn and before the broker confirmed the reply.
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!List.of("t")
        .equals(
            Db.column(
                dataSource,
                "select published from core.processed_event where event_id = ?",
                inbound.getEventId()))) {
      assertTrue(System.nanoTime() < deadline, "the publication was never confirmed");
      Thread.sleep(20);
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "update core.processed_event set published = false where event_id = ?")) {
      s.setString(1, inbound.getEventId());
      assertEquals(1, s.executeUpdate());
    }
    RecordMetadata again =
        kafka.send(Topics.INBOUND, inbound.getConversationId(), inbound.toByteArray());
    kafka.awaitCommitted("conversation-core", again, WAIT);

    List<ConsumerRecord<String, byte[]>> replies =
        kafka.all(
            Topics.OUTBOUND_WHATSAPP,
            r -> inbound.getConversationId().equals(r.key()),
            Duration.ofSeconds(1));
    assertEquals(2, replies.size(), "the unconfirmed reply is published once more");
    OutboundEvent republished = OutboundEvent.parseFrom(replies.get(1).value());
    assertEquals(original.getEventId(), republished.getEventId());
    assertEquals(original.getReplyMessage(), republished.getReplyMessage());
    assertEquals(1, model.requestsMentioning("crash window 4417").size());
    assertEquals(2, turnsOf(inbound.getSubjectId()).size());
  }

  @Test
  void sendsAnUnreadableRecordToTheDeadLetterTopicAndKeepsGoing() throws Exception {
    String phone = InboundEvents.randomE164();
    String key = InboundEvents.waConversation(phone);
    byte[] garbage = "{\"this\":\"is json, not protobuf\"}".getBytes(StandardCharsets.UTF_8);

    kafka.send(Topics.INBOUND, key, garbage);
    InboundEvent next = InboundEvents.whatsappText(phone, InboundEvents.newWamid(), "still there?");
    kafka.send(Topics.INBOUND, key, next.toByteArray());

    ConsumerRecord<String, byte[]> dead =
        kafka.await(Topics.deadLetterOf(Topics.INBOUND), r -> key.equals(r.key()), WAIT);
    assertArrayEquals(garbage, dead.value());
    Header reason = dead.headers().lastHeader("dead-letter-reason");
    assertNotNull(reason);
    assertTrue(
        new String(reason.value(), StandardCharsets.UTF_8).contains("not an InboundEvent"),
        "reason was: " + new String(reason.value(), StandardCharsets.UTF_8));

    OutboundEvent reply = OutboundEvent.parseFrom(awaitReply(next).value());
    assertTrue(reply.getReplyMessage().getText().endsWith("Echo: still there?"));
  }

  @Test
  void sendsAnEventWithoutPayloadToTheDeadLetterTopic() {
    String phone = InboundEvents.randomE164();
    InboundEvent noPayload =
        InboundEvents.whatsappText(phone, InboundEvents.newWamid(), "x").toBuilder()
            .clearUserMessage()
            .build();
    kafka.send(Topics.INBOUND, noPayload.getConversationId(), noPayload.toByteArray());

    ConsumerRecord<String, byte[]> dead =
        kafka.await(
            Topics.deadLetterOf(Topics.INBOUND),
            r -> noPayload.getConversationId().equals(r.key()),
            WAIT);
    assertTrue(
        new String(dead.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8)
            .contains("payload is missing"));
  }

  @Test
  void sendsTheConversationSoFarToTheModel() throws Exception {
    String phone = InboundEvents.randomE164();
    InboundEvent first =
        InboundEvents.whatsappText(phone, InboundEvents.newWamid(), "my name is Ada");
    kafka.send(Topics.INBOUND, first.getConversationId(), first.toByteArray());
    awaitReply(first);
    InboundEvent second =
        InboundEvents.whatsappText(phone, InboundEvents.newWamid(), "what is my name?");
    kafka.send(Topics.INBOUND, second.getConversationId(), second.toByteArray());
    awaitReply(second);

    GenerateRequest request = model.requestsMentioning("what is my name?").get(0);
    List<String> roles = new ArrayList<>();
    request
        .getMessagesList()
        .forEach(m -> roles.add(m.getRole() + "|" + m.getContent(0).getText()));
    assertEquals(
        List.of(
            "ROLE_USER|my name is Ada",
            "ROLE_ASSISTANT|" + DISCLOSURE + "\n\nEcho: my name is Ada",
            "ROLE_USER|what is my name?"),
        roles.subList(1, roles.size()));
  }

  ConsumerRecord<String, byte[]> awaitReply(InboundEvent inbound) {
    String replyId = inbound.getEventId() + ":reply:0";
    return kafka.await(
        Topics.OUTBOUND_WHATSAPP,
        r -> {
          try {
            return OutboundEvent.parseFrom(r.value()).getEventId().equals(replyId);
          } catch (Exception e) {
            return false;
          }
        },
        WAIT);
  }

  private List<String> turnsOf(String subjectId) throws Exception {
    List<String> turns = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "select role, text from core.turn where subject_id = ? order by turn_index")) {
      s.setString(1, subjectId);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          turns.add(rs.getString(1) + "|" + rs.getString(2));
        }
      }
    }
    return turns;
  }
}

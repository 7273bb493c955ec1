package dev.switchboard.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Timestamp;
import dev.switchboard.contracts.Topics;
import dev.switchboard.contracts.events.EnforcementAction;
import dev.switchboard.contracts.events.ErasureRequest;
import dev.switchboard.contracts.events.InboundEvent;
import dev.switchboard.contracts.events.OutboundEvent;
import dev.switchboard.contracts.model.GenerateRequest;
import dev.switchboard.core.standin.ModelAdapterStandIn;
import dev.switchboard.core.standin.ModelAdapterStandInResource;
import dev.switchboard.devstack.DevStackTestResource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * WhatsApp policy: batching, rate limit, enforcement, "start over", "delete my data", apology. The
 * test profile sets a 2 s WhatsApp deadline and 5 messages per minute.
 */
@QuarkusTest
@WithTestResource(DevStackTestResource.class)
@WithTestResource(ModelAdapterStandInResource.class)
class WhatsAppPolicyTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String APOLOGY =
      "Sorry, I can't answer right now. Please try again in a moment.";

  @Inject DataSource dataSource;
  @Inject MeterRegistry registry;
  ModelAdapterStandIn model;
  KafkaTestClient kafka;

  @BeforeEach
  void connect() {
    kafka =
        new KafkaTestClient(
            ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class),
            List.of(Topics.OUTBOUND_WHATSAPP, Topics.OUTBOUND_VOICE, Topics.PRIVACY_ERASURE));
  }

  @AfterEach
  void disconnect() {
    kafka.close();
  }

  @Test
  void answersMessagesThatArriveDuringGenerationTogetherInTheNextTurn() throws Exception {
    String phone = InboundEvents.randomE164();
    InboundEvent first =
        InboundEvents.whatsappText(phone, InboundEvents.newWamid(), "[delay=1500] batch one");
    InboundEvent second = InboundEvents.whatsappText(phone, InboundEvents.newWamid(), "batch two");
    InboundEvent third = InboundEvents.whatsappText(phone, InboundEvents.newWamid(), "batch three");
    send(first);
    send(second);
    RecordMetadata last = send(third);

    assertTrue(text(awaitReply(first)).endsWith("Echo: [delay=1500] batch one"));
    assertEquals("Echo: batch two\nbatch three", text(awaitReply(third)));
    kafka.awaitCommitted("conversation-core", last, WAIT);
    assertEquals(
        2,
        kafka
            .all(
                Topics.OUTBOUND_WHATSAPP,
                r -> first.getConversationId().equals(r.key()),
                Duration.ofSeconds(1))
            .size(),
        "one reply per turn, none for the batched message on its own");
    assertEquals(1, model.requestsMentioning("batch two").size());
    assertEquals(
        List.of(
            "user|[delay=1500] batch one",
            "assistant|" + WhatsAppTurnTest.DISCLOSURE + "\n\nEcho: [delay=1500] batch one",
            "user|batch two",
            "user|batch three",
            "assistant|Echo: batch two\nbatch three"),
        Db.turnsOf(dataSource, first.getSubjectId()));
  }

  @Test
  void repliesOnceKindlyWhenAPersonWritesFasterThanTheLimit() throws Exception {
    String phone = InboundEvents.randomE164();
    for (int i = 1; i <= 5; i++) {
      InboundEvent m = InboundEvents.whatsappText(phone, InboundEvents.newWamid(), "msg " + i);
      send(m);
      awaitReply(m);
    }
    InboundEvent sixth = InboundEvents.whatsappText(phone, InboundEvents.newWamid(), "msg 6");
    send(sixth);
    assertEquals(
        "You're sending messages faster than I can keep up with. Please wait a minute and try"
            + " again.",
        text(awaitReply(sixth)));
    InboundEvent seventh = InboundEvents.whatsappText(phone, InboundEvents.newWamid(), "msg 7");
    kafka.awaitCommitted("conversation-core", send(seventh), WAIT);

    assertEquals(
        6,
        kafka
            .all(
                Topics.OUTBOUND_WHATSAPP,
                r -> sixth.getConversationId().equals(r.key()),
                Duration.ofSeconds(1))
            .size(),
        "five answers and one slow-down notice; the seventh is not answered");
    assertEquals(0, model.requestsMentioning("msg 6").size());
    assertEquals(0, model.requestsMentioning("msg 7").size());
  }

  @Test
  void aBlockedPersonGetsTheFixedReplyAndNoModelCall() throws Exception {
    String phone = InboundEvents.randomE164();
    String subject = InboundEvents.subjectOf(phone);
    double appliedBefore = applied("block");
    block(subject);
    // The counter moves just after the enforcement row commits; operators see the block arrive.
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (applied("block") < appliedBefore + 1 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(appliedBefore + 1, applied("block"));

    InboundEvent m = InboundEvents.whatsappText(phone, InboundEvents.newWamid(), "blocked 5521");
    send(m);
    assertEquals(
        "Sorry, your access to Switchboard is paused after a safety review. Please try again"
            + " later.",
        text(awaitReply(m)));
    assertEquals(0, model.requestsMentioning("blocked 5521").size());
  }

  @Test
  void anOlderActionNeverLiftsALaterBlockAndIsNotCountedAsApplied() throws Exception {
    String phone = InboundEvents.randomE164();
    String subject = InboundEvents.subjectOf(phone);
    block(subject);
    double unblocksBefore = applied("unblock");

    EnforcementAction staleUnblock =
        EnforcementAction.newBuilder()
            .setEventId("case-0:unblock:" + subject)
            .setSubjectId(subject)
            .setAction(EnforcementAction.Action.ACTION_UNBLOCK)
            .setDecidedAt(Timestamp.newBuilder().setSeconds(Instant.now().getEpochSecond() - 3600))
            .build();
    RecordMetadata sent =
        kafka.send(Topics.SAFETY_ENFORCEMENT, subject, staleUnblock.toByteArray());
    kafka.awaitCommitted("conversation-core", sent, WAIT);

    assertEquals(
        List.of("BLOCK"),
        Db.column(dataSource, "select action from core.enforcement where subject_id = ?", subject));
    assertEquals(unblocksBefore, applied("unblock"));
    InboundEvent m = InboundEvents.whatsappText(phone, InboundEvents.newWamid(), "still blocked");
    send(m);
    assertTrue(text(awaitReply(m)).startsWith("Sorry, your access to Switchboard is paused"));
  }

  @Test
  void aLaterWarningDoesNotLiftABlockInForce() throws Exception {
    String phone = InboundEvents.randomE164();
    String subject = InboundEvents.subjectOf(phone);
    block(subject);
    double warningsBefore = applied("warn");

    // E.g. another reviewer warns the person on a different conversation's case.
    EnforcementAction warning =
        EnforcementAction.newBuilder()
            .setEventId("case-2:warn:" + subject)
            .setSubjectId(subject)
            .setAction(EnforcementAction.Action.ACTION_WARN)
            .setDecidedAt(Timestamp.newBuilder().setSeconds(Instant.now().getEpochSecond() + 5))
            .build();
    RecordMetadata sent = kafka.send(Topics.SAFETY_ENFORCEMENT, subject, warning.toByteArray());
    kafka.awaitCommitted("conversation-core", sent, WAIT);

    assertEquals(
        List.of("BLOCK"),
        Db.column(dataSource, "select action from core.enforcement where subject_id = ?", subject));
    assertEquals(warningsBefore, applied("warn"));
    InboundEvent m = InboundEvents.whatsappText(phone, InboundEvents.newWamid(), "warned only?");
    send(m);
    assertTrue(text(awaitReply(m)).startsWith("Sorry, your access to Switchboard is paused"));
  }

  @Test
  void aBlockedCallerIsRefusedAndHungUpOn() throws Exception {
    String phone = InboundEvents.randomE164();
    block(InboundEvents.subjectOf(phone));
    InboundEvent started = InboundEvents.callStarted(phone, InboundEvents.newCallId(), "US");
    send(started);
    String directiveId = started.getEventId() + ":reply:0";
    OutboundEvent directive =
        OutboundEvent.parseFrom(
            kafka
                .await(
                    Topics.OUTBOUND_VOICE,
                    r -> {
                      try {
                        return OutboundEvent.parseFrom(r.value()).getEventId().equals(directiveId);
                      } catch (Exception e) {
                        return false;
                      }
                    },
                    WAIT)
                .value());
    assertEquals("blocked", directive.getCallDirective().getRefuse().getReason());
  }

  @Test
  void startOverForgetsTheEarlierContext() throws Exception {
    String phone = InboundEvents.randomE164();
    InboundEvent name = InboundEvents.whatsappText(phone, InboundEvents.newWamid(), "I am Ada");
    send(name);
    awaitReply(name);
    InboundEvent reset = InboundEvents.whatsappText(phone, InboundEvents.newWamid(), "Start over!");
    send(reset);
    assertEquals(
        "Okay, let's start over. What would you like to talk about?", text(awaitReply(reset)));
    InboundEvent ask =
        InboundEvents.whatsappText(phone, InboundEvents.newWamid(), "who am I, 8812?");
    send(ask);
    awaitReply(ask);

    GenerateRequest request = model.requestsMentioning("who am I, 8812?").get(0);
    assertEquals(2, request.getMessagesCount(), "only the system prompt and the new message");
    assertEquals(0, model.requestsMentioning("Start over").size());
  }

  @Test
  void deleteMyDataErasesThePersonAnnouncesItAndConfirms() throws Exception {
    String phone = InboundEvents.randomE164();
    InboundEvent hello = InboundEvents.whatsappText(phone, InboundEvents.newWamid(), "hello");
    send(hello);
    awaitReply(hello);
    InboundEvent delete =
        InboundEvents.whatsappText(phone, InboundEvents.newWamid(), "Delete my data");
    send(delete);

    assertTrue(text(awaitReply(delete)).startsWith("Your data has been deleted"));
    ConsumerRecord<String, byte[]> erasure =
        kafka.await(Topics.PRIVACY_ERASURE, r -> delete.getSubjectId().equals(r.key()), WAIT);
    ErasureRequest request = ErasureRequest.parseFrom(erasure.value());
    assertEquals(delete.getEventId() + ":erasure", request.getEventId());
    assertEquals(delete.getSubjectId(), request.getSubjectId());

    String subject = delete.getSubjectId();
    assertEquals(List.of(), Db.turnsOf(dataSource, subject));
    assertEquals(
        List.of(),
        Db.column(dataSource, "select subject_id from core.person where subject_id = ?", subject));
    assertEquals(
        List.of(),
        Db.column(
            dataSource, "select id::text from core.conversation where subject_id = ?", subject));
    assertEquals(0, model.requestsMentioning("Delete my data").size());
  }

  @Test
  void apologisesWhenTheModelGatewayIsDown() throws Exception {
    String phone = InboundEvents.randomE164();
    InboundEvent m =
        InboundEvents.whatsappText(phone, InboundEvents.newWamid(), "[unavailable] anyone?");
    send(m);
    assertTrue(text(awaitReply(m)).endsWith(APOLOGY));
    assertEquals(
        List.of("user|[unavailable] anyone?"),
        Db.turnsOf(dataSource, m.getSubjectId()).subList(0, 1),
        "the message is kept");
  }

  @Test
  void retriesATransientModelFailureBeforeTheFirstToken() throws Exception {
    String phone = InboundEvents.randomE164();
    InboundEvent m =
        InboundEvents.whatsappText(phone, InboundEvents.newWamid(), "[flaky] second try 3390");
    send(m);
    assertTrue(text(awaitReply(m)).endsWith("Echo: [flaky] second try 3390"));
    assertEquals(2, model.requestsMentioning("second try 3390").size());
  }

  @Test
  void apologisesWithinTheDeadlineWhenTheModelIsSlowAndCancelsTheCall() throws Exception {
    String phone = InboundEvents.randomE164();
    int cancelledBefore = model.cancelledStreams();
    InboundEvent m =
        InboundEvents.whatsappText(phone, InboundEvents.newWamid(), "[delay=10000] slow one");
    send(m);
    assertTrue(text(awaitReply(m)).endsWith(APOLOGY));
    assertTrue(model.cancelledStreams() > cancelledBefore, "the slow generation was cancelled");
  }

  private void block(String subject) throws Exception {
    EnforcementAction action =
        EnforcementAction.newBuilder()
            .setEventId("case-1:" + subject)
            .setSubjectId(subject)
            .setAction(EnforcementAction.Action.ACTION_BLOCK)
            .setDecidedAt(Timestamp.newBuilder().setSeconds(Instant.now().getEpochSecond()))
            .build();
    kafka.send(Topics.SAFETY_ENFORCEMENT, subject, action.toByteArray());
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (Db.column(
            dataSource, "select action from core.enforcement where subject_id = ?", subject)
        .isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("enforcement was not applied");
      }
      Thread.sleep(50);
    }
  }

  private double applied(String action) {
    Counter counter =
        registry.find("switchboard.core.enforcement.applied").tag("action", action).counter();
    return counter == null ? 0 : counter.count();
  }

  private RecordMetadata send(InboundEvent event) {
    return kafka.send(Topics.INBOUND, event.getConversationId(), event.toByteArray());
  }

  private static String text(ConsumerRecord<String, byte[]> record) throws Exception {
    return OutboundEvent.parseFrom(record.value()).getReplyMessage().getText();
  }

  private ConsumerRecord<String, byte[]> awaitReply(InboundEvent inbound) {
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
}

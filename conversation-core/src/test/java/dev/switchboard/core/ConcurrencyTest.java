package dev.switchboard.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.switchboard.contracts.Topics;
import dev.switchboard.contracts.events.InboundEvent;
import dev.switchboard.contracts.events.OutboundEvent;
import dev.switchboard.contracts.events.TranscriptTurn;
import dev.switchboard.core.standin.ModelAdapterStandInResource;
import dev.switchboard.devstack.DevStackTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Per-conversation order with concurrency across conversations on one partition. */
@QuarkusTest
@WithTestResource(DevStackTestResource.class)
@WithTestResource(ModelAdapterStandInResource.class)
class ConcurrencyTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Inject DataSource dataSource;
  KafkaTestClient kafka;

  @BeforeEach
  void connect() {
    kafka =
        new KafkaTestClient(
            ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class),
            List.of(Topics.OUTBOUND_WHATSAPP, Topics.OUTBOUND_VOICE, Topics.SAFETY_TRANSCRIPTS));
  }

  @AfterEach
  void disconnect() {
    kafka.close();
  }

  @Test
  void aSlowConversationDoesNotDelayAnotherOnTheSamePartition() throws Exception {
    InboundEvent slow =
        InboundEvents.whatsappText(
            InboundEvents.randomE164(), InboundEvents.newWamid(), "[delay=6000] slow");
    InboundEvent fast =
        InboundEvents.whatsappText(InboundEvents.randomE164(), InboundEvents.newWamid(), "fast");
    kafka.send(Topics.INBOUND, 3, slow.getConversationId(), slow.toByteArray());
    kafka.send(Topics.INBOUND, 3, fast.getConversationId(), fast.toByteArray());

    kafka.awaitOutbound(Topics.OUTBOUND_WHATSAPP, fast.getEventId() + ":reply:0", WAIT);
    assertFalse(
        kafka
                .all(
                    Topics.OUTBOUND_WHATSAPP,
                    r -> slow.getConversationId().equals(r.key()),
                    Duration.ZERO)
                .size()
            > 0,
        "the fast conversation was answered while the slow one was still generating");
    kafka.awaitOutbound(Topics.OUTBOUND_WHATSAPP, slow.getEventId() + ":reply:0", WAIT);
  }

  @Test
  void keepsEachConversationInOrderWhileManyRunAtOnce() throws Exception {
    int conversations = 12;
    int utterances = 4;
    List<List<InboundEvent>> calls = new ArrayList<>();
    for (int c = 0; c < conversations; c++) {
      String phone = InboundEvents.randomE164();
      String callId = InboundEvents.newCallId();
      List<InboundEvent> said = new ArrayList<>();
      for (int n = 1; n <= utterances; n++) {
        int delay = ThreadLocalRandom.current().nextInt(0, 150);
        said.add(
            InboundEvents.utterance(phone, callId, n, "[delay=" + delay + "] part " + n + "."));
      }
      calls.add(said);
    }
    // Interleave the conversations on one partition, each conversation's events in order.
    for (int n = 0; n < utterances; n++) {
      for (List<InboundEvent> call : calls) {
        InboundEvent e = call.get(n);
        kafka.send(Topics.INBOUND, 5, e.getConversationId(), e.toByteArray());
      }
    }
    for (List<InboundEvent> call : calls) {
      List<Integer> replyOrder = new ArrayList<>();
      for (InboundEvent e : call) {
        kafka.awaitOutbound(Topics.OUTBOUND_VOICE, e.getEventId() + ":reply:0", WAIT);
      }
      for (ConsumerRecord<String, byte[]> r :
          kafka.all(
              Topics.OUTBOUND_VOICE,
              r -> call.get(0).getConversationId().equals(r.key()),
              Duration.ZERO)) {
        OutboundEvent event = OutboundEvent.parseFrom(r.value());
        if (event.getReplyChunk().getIndex() == 0) {
          String inReplyTo = event.getReplyChunk().getInReplyTo();
          replyOrder.add(Integer.parseInt(inReplyTo.substring(inReplyTo.lastIndexOf(':') + 1)));
        }
      }
      assertEquals(List.of(1, 2, 3, 4), replyOrder, "replies in the order the person spoke");
      // A voice reply goes out before its turn's commit; the transcript follows the commit.
      String lastTranscript = call.get(utterances - 1).getEventId() + ":transcript";
      kafka.await(
          Topics.SAFETY_TRANSCRIPTS,
          r -> {
            try {
              return TranscriptTurn.parseFrom(r.value()).getEventId().equals(lastTranscript);
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
              return false;
            }
          },
          Duration.ofSeconds(20));
      List<String> turns = Db.turnsOf(dataSource, call.get(0).getSubjectId());
      List<String> userTurns = turns.stream().filter(t -> t.startsWith("user|")).toList();
      assertEquals(
          List.of(
              "user|" + text(call.get(0)),
              "user|" + text(call.get(1)),
              "user|" + text(call.get(2)),
              "user|" + text(call.get(3))),
          userTurns);
    }
  }

  private static String text(InboundEvent e) {
    return e.getUserMessage().getParts(0).getText();
  }
}

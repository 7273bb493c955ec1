package dev.switchboard.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.contracts.Topics;
import dev.switchboard.contracts.events.InboundEvent;
import dev.switchboard.core.conversation.ChannelKind;
import dev.switchboard.core.conversation.EventMeta;
import dev.switchboard.core.conversation.PreparedTurn;
import dev.switchboard.core.conversation.PromptMessage;
import dev.switchboard.core.conversation.ReplyRoute;
import dev.switchboard.core.persistence.GroupedContextReader;
import dev.switchboard.core.persistence.TurnContextReader;
import dev.switchboard.core.standin.ModelAdapterStandIn;
import dev.switchboard.core.standin.ModelAdapterStandInResource;
import dev.switchboard.devstack.DevStackTestResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The group read (many turns' context in three statements) gives every turn exactly what reading it
 * alone gives: its conversation, next turn index, block state and history, for conversations with
 * history, a brand-new one and a redelivered event side by side in one group.
 */
@QuarkusTest
@WithTestResource(DevStackTestResource.class)
@WithTestResource(ModelAdapterStandInResource.class)
class GroupReadTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Inject GroupedContextReader groupReader;
  @Inject TurnContextReader reader;
  @Inject MeterRegistry metrics;

  @Test
  void readsEachTurnOfAGroupAsIfItWereAlone() throws Exception {
    int talked = 6;
    List<InboundEvent> lastSaid = new ArrayList<>();
    try (KafkaTestClient kafka =
        new KafkaTestClient(
            ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class),
            List.of(Topics.OUTBOUND_VOICE))) {
      // Conversations with 1..3 answered turns each, through the service itself.
      for (int c = 0; c < talked; c++) {
        String phone = InboundEvents.randomE164();
        String callId = InboundEvents.newCallId();
        InboundEvent said = null;
        for (int n = 1; n <= 1 + c % 3; n++) {
          said = InboundEvents.utterance(phone, callId, n, "line " + n + " of call " + c + ".");
          kafka.send(Topics.INBOUND, said.getConversationId(), said.toByteArray());
          kafka.awaitOutbound(Topics.OUTBOUND_VOICE, said.getEventId() + ":reply:0", WAIT);
        }
        lastSaid.add(said);
      }
    }

    List<EventMeta> next = new ArrayList<>();
    List<List<String>> eventIds = new ArrayList<>();
    for (int c = 0; c < talked; c++) {
      InboundEvent previous = lastSaid.get(c);
      EventMeta meta = meta(previous, previous.getEventId() + "-next");
      next.add(meta);
      eventIds.add(List.of(meta.eventId()));
    }
    // A redelivery of an answered event, and a conversation never seen before.
    InboundEvent answered = lastSaid.get(0);
    next.add(meta(answered, answered.getEventId()));
    eventIds.add(List.of(answered.getEventId()));
    InboundEvent stranger =
        InboundEvents.utterance(
            InboundEvents.randomE164(), InboundEvents.newCallId(), 1, "first words.");
    next.add(meta(stranger, stranger.getEventId()));
    eventIds.add(List.of(stranger.getEventId()));

    long groupsBefore = groups();
    Instant now = Instant.now();
    List<CompletableFuture<TurnContextReader.Checked>> grouped = new ArrayList<>();
    for (int i = 0; i < next.size(); i++) {
      grouped.add(
          groupReader.checkAndPrepare(eventIds.get(i), next.get(i), now, true, Runnable::run));
    }
    CompletableFuture.allOf(grouped.toArray(CompletableFuture[]::new)).get();
    long groups = groups() - groupsBefore;
    assertTrue(
        groups < next.size(),
        "the " + next.size() + " turns were read in " + groups + " group reads, not one each");

    for (int i = 0; i < talked; i++) {
      PreparedTurn together = grouped.get(i).get().prepared();
      PreparedTurn alone =
          reader.checkAndPrepare(eventIds.get(i), next.get(i), now, true).prepared();
      assertNotNull(together, "conversation " + i + " was prepared");
      assertEquals(alone, together, "conversation " + i + " read in a group as if alone");
      int turnsSoFar = 1 + i % 3;
      assertEquals(2 * turnsSoFar, together.history().size(), "history of conversation " + i);
      assertEquals(
          new PromptMessage(PromptMessage.Role.USER, "line 1 of call " + i + "."),
          together.history().get(0));
      assertEquals(
          new PromptMessage(
              PromptMessage.Role.ASSISTANT,
              ModelAdapterStandIn.answerTo("line " + turnsSoFar + " of call " + i + ".")),
          together.history().get(together.history().size() - 1));
      assertEquals(2 * turnsSoFar, together.nextTurnIndex(), "next turn index of " + i);
    }
    TurnContextReader.Checked redelivered = grouped.get(talked).get();
    assertEquals(Set.of(answered.getEventId()), redelivered.processed());
    assertNull(redelivered.prepared(), "nothing is prepared for a redelivery");

    PreparedTurn first = grouped.get(talked + 1).get().prepared();
    assertNotNull(first, "a first contact is written and prepared within the group");
    assertEquals(List.of(), first.history());
    assertEquals(0, first.nextTurnIndex());
    assertEquals(
        first.conversationId(),
        reader
            .checkAndPrepare(List.of(), next.get(talked + 1), now, true)
            .prepared()
            .conversationId(),
        "the stranger's conversation was recorded once");
  }

  private long groups() {
    return metrics.find("switchboard.core.turn.read_group").summary().count();
  }

  private static EventMeta meta(InboundEvent like, String eventId) {
    return new EventMeta(
        eventId,
        like.getConversationId(),
        like.getSubjectId(),
        ChannelKind.VOICE,
        Instant.now(),
        new ReplyRoute(Topics.OUTBOUND_VOICE, 0, InboundEvents.VOICE_NODE),
        Optional.of(like.getUserE164()));
  }
}

package dev.switchboard.core.messaging;

import com.google.protobuf.Timestamp;
import dev.switchboard.contracts.Topics;
import dev.switchboard.contracts.events.CallDirective;
import dev.switchboard.contracts.events.ErasureRequest;
import dev.switchboard.contracts.events.OutboundEvent;
import dev.switchboard.contracts.events.ReplyChunk;
import dev.switchboard.contracts.events.ReplyMessage;
import dev.switchboard.contracts.events.TranscriptTurn;
import dev.switchboard.core.conversation.CallDecision;
import dev.switchboard.core.conversation.ChannelKind;
import dev.switchboard.core.conversation.EventMeta;
import dev.switchboard.core.conversation.StoredTurn;
import dev.switchboard.core.conversation.Transcript;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Publishes what the core decided. Every returned stage completes when the broker confirmed the
 * record (acks=all), so the caller can commit the inbound offset only then. Replies, directives and
 * transcripts go through the shared {@link TurnOutputProducer} (the hot path); the rare erasure
 * request through its SmallRye channel.
 */
@ApplicationScoped
public class ReplyPublisher {
  private final TurnOutputProducer producer;
  private final MutinyEmitter<ErasureRequest> erasures;

  public ReplyPublisher(
      TurnOutputProducer producer,
      @Channel(Channels.ERASURES) MutinyEmitter<ErasureRequest> erasures) {
    this.producer = producer;
    this.erasures = erasures;
  }

  /** Deterministic id of reply part {@code n} to an inbound event. */
  public static String replyEventId(String inboundEventId, int n) {
    return inboundEventId + ":reply:" + n;
  }

  /** A whole WhatsApp reply, part 0. */
  public CompletionStage<Void> wholeReply(
      EventMeta inbound, String text, String language, String contextProviderMessageId) {
    OutboundEvent event =
        envelope(inbound, replyEventId(inbound.eventId(), 0))
            .setReplyMessage(
                ReplyMessage.newBuilder()
                    .setInReplyTo(inbound.eventId())
                    .setText(text)
                    .setLanguage(language == null ? "" : language)
                    .setContextProviderMessageId(
                        contextProviderMessageId == null ? "" : contextProviderMessageId))
            .build();
    return send(inbound, event);
  }

  /** One sentence of a voice reply: part {@code index}, the last one says so. */
  public CompletionStage<Void> chunk(
      EventMeta inbound, int index, String text, String language, boolean last) {
    OutboundEvent event =
        envelope(inbound, replyEventId(inbound.eventId(), index))
            .setReplyChunk(
                ReplyChunk.newBuilder()
                    .setInReplyTo(inbound.eventId())
                    .setIndex(index)
                    .setText(text)
                    .setLanguage(language == null ? "" : language)
                    .setLast(last))
            .build();
    return send(inbound, event);
  }

  /** The answer to CallStarted. */
  public CompletionStage<Void> directive(EventMeta inbound, String callId, CallDecision decision) {
    CallDirective.Builder directive = CallDirective.newBuilder().setCallId(callId);
    if (decision.accepted()) {
      directive.setAccept(
          CallDirective.Accept.newBuilder()
              .setGreetingText(decision.text())
              .setMaxDurationSeconds(decision.maxSeconds()));
    } else {
      directive.setRefuse(
          CallDirective.Refuse.newBuilder()
              .setText(decision.text())
              .setReason(decision.refusalReason()));
    }
    OutboundEvent event =
        envelope(inbound, replyEventId(inbound.eventId(), 0)).setCallDirective(directive).build();
    return send(inbound, event);
  }

  /** Tells every service that the person asked for their data to be deleted. */
  public CompletionStage<Void> erasure(EventMeta inbound) {
    ErasureRequest request =
        ErasureRequest.newBuilder()
            .setEventId(inbound.eventId() + ":erasure")
            .setSubjectId(inbound.subjectId())
            .setRequestedVia(toChannel(inbound.channel()))
            .setRequestedAt(timestamp(inbound.occurredAt()))
            .build();
    return erasures
        .sendMessage(
            Message.of(request)
                .addMetadata(
                    OutgoingKafkaRecordMetadata.<String>builder()
                        .withKey(inbound.subjectId())
                        .build()))
        .subscribeAsCompletionStage();
  }

  public CompletionStage<Void> transcript(Transcript transcript) {
    EventMeta inbound = transcript.inbound();
    return transcript(inbound, transcript.turn(), inbound.eventId() + ":transcript");
  }

  /**
   * The transcript of a completed turn the person talked over, published again with what they heard
   * and {@code interrupted = true}: same conversation and turn index, its own deterministic event
   * id {@code <answered event id>:transcript:interrupted}, so safety review updates the turn it
   * stored and a redelivery is a duplicate.
   *
   * @param interruption the Interrupted event (same conversation as the turn)
   */
  public CompletionStage<Void> correctedTranscript(EventMeta interruption, StoredTurn turn) {
    return transcript(interruption, turn, turn.inboundEventId() + ":transcript:interrupted");
  }

  private CompletionStage<Void> transcript(EventMeta inbound, StoredTurn turn, String eventId) {
    TranscriptTurn record =
        TranscriptTurn.newBuilder()
            .setEventId(eventId)
            .setConversationId(inbound.conversationKey())
            .setSubjectId(inbound.subjectId())
            .setChannel(toChannel(inbound.channel()))
            .setTurnIndex(turn.turnIndex())
            .setUserText(turn.userText())
            .setAssistantText(turn.assistantText())
            .setStartedAt(timestamp(turn.startedAt()))
            .setCompletedAt(timestamp(turn.completedAt()))
            .setInterrupted(turn.interrupted())
            .setModel(nullToEmpty(turn.model()))
            .setLanguage(nullToEmpty(turn.language()))
            .build();
    return producer.send(Topics.SAFETY_TRANSCRIPTS, -1, inbound.conversationKey(), record);
  }

  private CompletionStage<Void> send(EventMeta inbound, OutboundEvent event) {
    // Sent in the caller's trace context: the reply joins the turn's trace.
    return producer.send(
        inbound.replyRoute().topic(),
        inbound.replyRoute().partition(),
        inbound.conversationKey(),
        event);
  }

  private static OutboundEvent.Builder envelope(EventMeta inbound, String eventId) {
    return OutboundEvent.newBuilder()
        .setEventId(eventId)
        .setConversationId(inbound.conversationKey())
        .setSubjectId(inbound.subjectId())
        .setChannel(toChannel(inbound.channel()))
        .setOccurredAt(timestamp(Instant.now()))
        .setReplyRoute(
            dev.switchboard.contracts.events.ReplyRoute.newBuilder()
                .setTopic(inbound.replyRoute().topic())
                .setPartition(inbound.replyRoute().partition())
                .setChannelAddress(nullToEmpty(inbound.replyRoute().channelAddress())));
  }

  static dev.switchboard.contracts.events.Channel toChannel(ChannelKind kind) {
    return switch (kind) {
      case VOICE -> dev.switchboard.contracts.events.Channel.CHANNEL_VOICE;
      case WHATSAPP -> dev.switchboard.contracts.events.Channel.CHANNEL_WHATSAPP;
    };
  }

  private static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}

package dev.switchboard.voice.messaging;

import com.google.protobuf.Timestamp;
import dev.switchboard.contracts.Topics;
import dev.switchboard.contracts.events.CallEnded;
import dev.switchboard.contracts.events.CallStarted;
import dev.switchboard.contracts.events.Channel;
import dev.switchboard.contracts.events.Dtmf;
import dev.switchboard.contracts.events.InboundEvent;
import dev.switchboard.contracts.events.Interrupted;
import dev.switchboard.contracts.events.MessagePart;
import dev.switchboard.contracts.events.OutboundEvent;
import dev.switchboard.contracts.events.ReplyRoute;
import dev.switchboard.contracts.events.UserMessage;
import dev.switchboard.voice.conversation.CallFacts;
import dev.switchboard.voice.conversation.OutboundCommand;
import java.time.Instant;
import java.util.Optional;

/**
 * Maps between a call's happenings and the Kafka contract: inbound events carry this node's reply
 * route ({@code conversation.outbound.voice}, partition = node number, channel address = node
 * name); outbound events become {@link OutboundCommand}s.
 */
public final class VoiceEvents {

  /** How a call ended, in the contract's terms. */
  public enum EndReason {
    CALLER_HUNG_UP,
    ASSISTANT_HUNG_UP,
    TIME_LIMIT,
    SILENCE,
    REFUSED,
    MEDIA_FAILURE,
    SHUTDOWN
  }

  private final ReplyRoute route;

  public VoiceEvents(int nodeNumber, String nodeName) {
    this.route =
        ReplyRoute.newBuilder()
            .setTopic(Topics.OUTBOUND_VOICE)
            .setPartition(nodeNumber)
            .setChannelAddress(nodeName)
            .build();
  }

  public InboundEvent callStarted(CallFacts call, String eventId) {
    CallStarted.Builder started =
        CallStarted.newBuilder().setCallId(call.callId()).setCallerAnonymous(call.anonymous());
    call.calledNumber().ifPresent(started::setCalledNumber);
    call.region().ifPresent(started::setCallerRegion);
    return base(call, eventId).setCallStarted(started).build();
  }

  public InboundEvent userMessage(CallFacts call, String eventId, String text, String language) {
    return base(call, eventId)
        .setUserMessage(
            UserMessage.newBuilder()
                .addParts(MessagePart.newBuilder().setText(text))
                .setLanguage(language == null ? "" : language)
                .setExpectsReply(true))
        .build();
  }

  /**
   * @param heardText the words of the reply the caller heard before speaking over it
   */
  public InboundEvent interrupted(
      CallFacts call, String eventId, String replyTo, int heardMs, String heardText) {
    return base(call, eventId)
        .setInterrupted(
            Interrupted.newBuilder()
                .setInterruptedReplyTo(replyTo == null ? "" : replyTo)
                .setHeardMs(heardMs)
                .setHeardText(heardText == null ? "" : heardText))
        .build();
  }

  public InboundEvent dtmf(
      CallFacts call, String eventId, char digit, boolean sipInfo, int durationMs) {
    return base(call, eventId)
        .setDtmf(
            Dtmf.newBuilder()
                .setDigits(String.valueOf(digit))
                .setMethod(sipInfo ? Dtmf.Method.METHOD_SIP_INFO : Dtmf.Method.METHOD_RFC4733)
                .setDurationMs(Math.max(0, durationMs)))
        .build();
  }

  public InboundEvent callEnded(
      CallFacts call, String eventId, EndReason reason, int durationSeconds) {
    return base(call, eventId)
        .setCallEnded(
            CallEnded.newBuilder()
                .setCallId(call.callId())
                .setReason(CallEnded.Reason.valueOf("REASON_" + reason.name()))
                .setDurationSeconds(durationSeconds))
        .build();
  }

  /** The command in an outbound event, if it is one a voice call understands. */
  public static Optional<OutboundCommand> command(OutboundEvent event) {
    String conversationId = event.getConversationId();
    if (!conversationId.startsWith("call:")) {
      return Optional.empty();
    }
    String callId = conversationId.substring("call:".length());
    return switch (event.getPayloadCase()) {
      case CALL_DIRECTIVE -> {
        var directive = event.getCallDirective();
        yield switch (directive.getDecisionCase()) {
          case ACCEPT ->
              Optional.of(
                  new OutboundCommand.Accept(
                      callId,
                      event.getEventId(),
                      directive.getAccept().getGreetingText(),
                      directive.getAccept().getMaxDurationSeconds(),
                      directive.getAccept().getLanguage()));
          case REFUSE ->
              Optional.of(
                  new OutboundCommand.Refuse(
                      callId,
                      event.getEventId(),
                      directive.getRefuse().getText(),
                      directive.getRefuse().getReason()));
          case DECISION_NOT_SET -> Optional.empty();
        };
      }
      case REPLY_CHUNK -> {
        var chunk = event.getReplyChunk();
        yield Optional.of(
            new OutboundCommand.Chunk(
                callId,
                event.getEventId(),
                chunk.getInReplyTo(),
                chunk.getIndex(),
                chunk.getText(),
                chunk.getLanguage(),
                chunk.getLast()));
      }
      case REPLY_MESSAGE, PAYLOAD_NOT_SET -> Optional.empty();
    };
  }

  private InboundEvent.Builder base(CallFacts call, String eventId) {
    Instant now = Instant.now();
    InboundEvent.Builder builder =
        InboundEvent.newBuilder()
            .setEventId(eventId)
            .setConversationId(call.conversationId())
            .setSubjectId(call.subjectId())
            .setChannel(Channel.CHANNEL_VOICE)
            .setOccurredAt(
                Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
            .setReplyRoute(route);
    call.e164().ifPresent(builder::setUserE164);
    return builder;
  }
}

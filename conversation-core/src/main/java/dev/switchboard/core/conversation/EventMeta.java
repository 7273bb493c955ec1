package dev.switchboard.core.conversation;

import java.time.Instant;
import java.util.Optional;

/**
 * What every inbound event carries. {@code userE164} is personal data: it is stored encrypted and
 * never logged.
 */
public record EventMeta(
    String eventId,
    String conversationKey,
    String subjectId,
    ChannelKind channel,
    Instant occurredAt,
    ReplyRoute replyRoute,
    Optional<String> userE164) {}

package dev.switchboard.safety.transcript;

import java.time.Instant;

/** One completed conversation turn as the core reported it (original, unredacted text). */
public record CompletedTurn(
    String eventId,
    String conversationId,
    String subjectId,
    String channel,
    int turnIndex,
    String userText,
    String assistantText,
    Instant startedAt,
    Instant completedAt,
    boolean interrupted,
    String model,
    String language) {}

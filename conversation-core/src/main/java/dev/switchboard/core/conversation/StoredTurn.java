package dev.switchboard.core.conversation;

import java.time.Instant;

/**
 * A completed turn as stored: enough to publish its reply and transcript again after a crash
 * between the database commit and the broker's confirmation.
 */
public record StoredTurn(
    String inboundEventId,
    int turnIndex,
    String userText,
    String assistantText,
    String model,
    String language,
    boolean interrupted,
    Instant startedAt,
    Instant completedAt) {}

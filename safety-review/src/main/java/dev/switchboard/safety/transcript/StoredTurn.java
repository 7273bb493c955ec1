package dev.switchboard.safety.transcript;

import java.time.Instant;

/** A turn ready to store: display copies redacted, the original sealed with AES-GCM. */
public record StoredTurn(
    String eventId,
    String conversationId,
    String subjectId,
    String channel,
    int turnIndex,
    String userTextDisplay,
    String assistantTextDisplay,
    int redactionCount,
    byte[] originalCiphertext,
    String keyId,
    Instant startedAt,
    Instant completedAt,
    Instant receivedAt,
    boolean interrupted,
    String model,
    String language) {}

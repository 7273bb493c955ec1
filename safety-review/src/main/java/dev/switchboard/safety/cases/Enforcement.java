package dev.switchboard.safety.cases;

import java.time.Instant;

/**
 * An enforcement action to publish on {@code safety.enforcement}.
 *
 * @param blockedUntil end of a temporary block; null for a permanent block or non-blocks
 */
public record Enforcement(
    String eventId,
    String subjectId,
    EnforcementChoice choice,
    Instant blockedUntil,
    String category,
    long caseId,
    Instant decidedAt,
    boolean automatic) {}

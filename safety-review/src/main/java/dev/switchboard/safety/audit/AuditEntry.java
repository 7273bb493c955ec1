package dev.switchboard.safety.audit;

import java.time.Instant;

/** One audit record as stored. */
public record AuditEntry(
    long seq,
    Instant at,
    String actor,
    String action,
    String target,
    String detail,
    String prevHash,
    String hash) {}

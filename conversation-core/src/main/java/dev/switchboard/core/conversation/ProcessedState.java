package dev.switchboard.core.conversation;

import java.util.Optional;

/**
 * Whether an inbound event was already processed, and whether what it caused was confirmed
 * published. {@code turn} is present when the event produced a reply.
 */
public record ProcessedState(boolean published, Optional<StoredTurn> turn) {}

package dev.switchboard.core.conversation;

/** One completed turn for safety review. */
public record Transcript(EventMeta inbound, StoredTurn turn) {}

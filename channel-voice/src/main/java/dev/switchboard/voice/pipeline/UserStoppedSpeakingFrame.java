package dev.switchboard.voice.pipeline;

/** Endpointing closed an utterance: the caller has finished a turn. */
public record UserStoppedSpeakingFrame(long startMillis, long endMillis) implements ControlFrame {}

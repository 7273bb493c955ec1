package dev.switchboard.voice.pipeline;

/** The VAD found speech starting at {@code startMillis} of the caller's stream. */
public record UserStartedSpeakingFrame(long startMillis) implements ControlFrame {}

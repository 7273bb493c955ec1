package dev.switchboard.voice.pipeline;

/** The caller barged in: drop queued audio, stop playback, cancel the reply in flight. */
public record InterruptionFrame(long atMillis) implements ControlFrame {}

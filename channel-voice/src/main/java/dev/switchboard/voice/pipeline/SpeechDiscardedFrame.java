package dev.switchboard.voice.pipeline;

/** Speech that started turned out too short to be a turn (a cough, a click). */
public record SpeechDiscardedFrame(long startMillis, long endMillis) implements ControlFrame {}

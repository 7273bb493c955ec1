package dev.switchboard.voice.pipeline;

/** The caller's packet for this slot was lost: the decoder conceals it. */
public record MissingAudioFrame(int samples) implements DataFrame {}

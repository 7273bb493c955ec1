package dev.switchboard.voice.pipeline;

/** What the recognizer has heard so far of the current utterance (it tunes endpointing). */
public record PartialTranscriptFrame(String text) implements DataFrame {}

package dev.switchboard.modeladapter.stt;

/**
 * What was said.
 *
 * @param text the transcript
 * @param language BCP 47 language detected by the backend; empty when it does not say
 * @param confidence 0..1 when the backend reports one, else 0
 */
public record Transcript(String text, String language, float confidence) {}

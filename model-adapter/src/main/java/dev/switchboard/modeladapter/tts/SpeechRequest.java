package dev.switchboard.modeladapter.tts;

/**
 * Text to speak.
 *
 * @param text what to say
 * @param language BCP 47 language, e.g. "en-US"; empty means the backend's default
 * @param voice backend-specific voice name; empty means the configured default
 * @param sampleRateHz the rate the caller wants; 0 means the backend's native rate
 */
public record SpeechRequest(String text, String language, String voice, int sampleRateHz) {}

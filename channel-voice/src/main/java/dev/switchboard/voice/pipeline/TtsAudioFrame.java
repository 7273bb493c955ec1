package dev.switchboard.voice.pipeline;

/**
 * Synthesized audio for the caller, any sample rate; the playout queue converts it to 8 kHz.
 *
 * @param utteranceId which prompt or reply chunk this belongs to (for logs and latency stages)
 * @param interruptible false for audio barge-in must not cut (the greeting with the disclosure)
 */
public record TtsAudioFrame(
    short[] samples, int sampleRate, String utteranceId, boolean interruptible)
    implements DataFrame {}

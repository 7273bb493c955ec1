/**
 * Voice activity detection and endpointing: {@link dev.switchboard.voice.vad.VoiceActivityDetector}
 * turns 20 ms frames into speech started / utterance ended / discarded decisions.
 */
package dev.switchboard.voice.vad;

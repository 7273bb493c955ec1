package dev.switchboard.modeladapter.tts;

import io.smallrye.mutiny.Multi;

/**
 * Turns text into speech, streamed at the backend's native rate ({@link #nativeSampleRate}); the
 * {@link SpeechPipeline} converts to the rate the caller asked for.
 */
public interface TtsBackend {

  String name();

  int nativeSampleRate();

  Multi<PcmChunk> synthesize(SpeechRequest request);
}

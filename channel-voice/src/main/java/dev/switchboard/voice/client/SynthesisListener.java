package dev.switchboard.voice.client;

/** Receives one synthesis as it streams in. Called on gRPC threads, in order. */
public interface SynthesisListener {
  /** More audio, PCM16 at {@code sampleRate}. */
  void onAudio(short[] samples, int sampleRate);

  /** The synthesis finished. */
  void onComplete();

  /** The synthesis failed (model-adapter down, bad request); no more calls follow. */
  void onError(String reason);
}

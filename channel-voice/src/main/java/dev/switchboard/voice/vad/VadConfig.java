package dev.switchboard.voice.vad;

/**
 * Tuning of the {@link VoiceActivityDetector}.
 *
 * @param sampleRate PCM sample rate in Hz
 * @param marginDb a frame is speech when its energy is this far above the noise floor
 * @param absoluteThresholdDbfs and above this absolute level (so line hiss is never speech)
 * @param noiseWindowMillis the noise floor is the quietest frame within this sliding window
 * @param onsetMillis active audio needed before speech is reported as started
 * @param hangoverMillis {@link VoiceActivityDetector#isSpeaking()} stays true this long after the
 *     last active frame, bridging the gaps between syllables
 * @param endpointMillis silence after the last active frame that ends the utterance
 * @param sentenceEndEndpointMillis shorter window used once the partial transcript ends a sentence
 * @param minUtteranceMillis utterances with less active audio (clicks, coughs) are discarded
 * @param maxUtteranceMillis an utterance is cut off at this length
 */
public record VadConfig(
    int sampleRate,
    double marginDb,
    double absoluteThresholdDbfs,
    int noiseWindowMillis,
    int onsetMillis,
    int hangoverMillis,
    int endpointMillis,
    int sentenceEndEndpointMillis,
    int minUtteranceMillis,
    int maxUtteranceMillis) {

  public VadConfig {
    if (sampleRate <= 0
        || onsetMillis <= 0
        || endpointMillis < hangoverMillis
        || sentenceEndEndpointMillis > endpointMillis
        || minUtteranceMillis < onsetMillis
        || maxUtteranceMillis <= minUtteranceMillis) {
      throw new IllegalArgumentException("inconsistent VAD settings: " + this);
    }
  }

  /** Defaults for 8 kHz telephone audio: 500 ms endpointing, 250 ms after a finished sentence. */
  public static VadConfig telephone() {
    return new VadConfig(8000, 12.0, -55.0, 1500, 60, 200, 500, 250, 250, 30_000);
  }

  /** The same settings with another endpointing window (the per-deployment knob). */
  public VadConfig withEndpointMillis(int endpoint, int afterSentenceEnd) {
    return new VadConfig(
        sampleRate,
        marginDb,
        absoluteThresholdDbfs,
        noiseWindowMillis,
        onsetMillis,
        hangoverMillis,
        endpoint,
        afterSentenceEnd,
        minUtteranceMillis,
        maxUtteranceMillis);
  }
}

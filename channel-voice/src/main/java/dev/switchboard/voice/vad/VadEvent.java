package dev.switchboard.voice.vad;

/** What the detector decided at the end of a frame. Times are ms since the stream started. */
public sealed interface VadEvent {

  /** Enough active audio to call it speech (used for barge-in and to start streaming to STT). */
  record SpeechStarted(long startMillis) implements VadEvent {}

  /**
   * The endpointing window passed after speech: the caller finished a turn.
   *
   * @param startMillis first active frame
   * @param endMillis end of the last active frame
   * @param activeMillis active audio inside, for diagnostics
   * @param cutOff true when ended by the maximum utterance length rather than by silence
   */
  record UtteranceEnded(long startMillis, long endMillis, long activeMillis, boolean cutOff)
      implements VadEvent {}

  /** Speech was reported started but turned out too short to be an utterance (cough, click). */
  record SpeechDiscarded(long startMillis, long endMillis, long activeMillis) implements VadEvent {}
}

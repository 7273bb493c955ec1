package dev.switchboard.voice.pipeline;

/**
 * The seam to streaming speech-to-text (model-adapter's {@code SpeechToText.Transcribe} over gRPC
 * in production). Results flow back outside this interface: the implementation delivers partial
 * transcripts as {@link PartialTranscriptFrame}s into the pipeline and the final one to the
 * conversation.
 */
public interface SpeechRecognizer {

  /** The sample rate the recognizer wants; the bridge resamples to it. */
  int sampleRate();

  /** Opens a stream for one utterance. */
  RecognitionStream open();

  /** One utterance's audio stream. */
  interface RecognitionStream {

    /** More audio of the utterance, at {@link SpeechRecognizer#sampleRate()}. */
    void send(short[] samples);

    /** The utterance ended: produce the final transcript. */
    void finish();

    /** The speech was not a turn (or the call ended): drop it without a transcript. */
    void cancel();
  }
}

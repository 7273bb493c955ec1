package dev.switchboard.voice.client;

/** Receives one utterance's transcripts. Called on gRPC threads. */
public interface TranscriptListener {
  /** A partial transcript (tunes endpointing). */
  void onPartial(String text);

  /** The final transcript of the utterance; {@code language} is BCP 47 or empty. */
  void onFinal(String text, String language);

  /** Recognition failed; no final transcript follows. */
  void onError(String reason);
}

package dev.switchboard.voice.pipeline;

/** Ordered frames that an interruption may cancel. */
public sealed interface DataFrame extends Frame
    permits EncodedAudioFrame,
        MissingAudioFrame,
        AudioFrame,
        PartialTranscriptFrame,
        TtsAudioFrame {

  /** Whether an interruption drops this frame while it is still queued. */
  default boolean interruptible() {
    return true;
  }
}

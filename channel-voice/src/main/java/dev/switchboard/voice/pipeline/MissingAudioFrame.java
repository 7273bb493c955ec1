package dev.switchboard.voice.pipeline;

/** The caller's packet for this slot was lost: the decoder conceals it. */
public record MissingAudioFrame(int samples) implements DataFrame {

  /** The caller's own audio: an interruption cancels what we say, never what they said. */
  @Override
  public boolean interruptible() {
    return false;
  }
}

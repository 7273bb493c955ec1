package dev.switchboard.voice.pipeline;

import dev.switchboard.voice.codec.G711Law;

/**
 * One packet's worth of G.711 audio from the caller, in playout order (after the jitter buffer).
 */
public record EncodedAudioFrame(G711Law law, byte[] payload) implements DataFrame {

  /** The caller's own audio: an interruption cancels what we say, never what they said. */
  @Override
  public boolean interruptible() {
    return false;
  }
}

package dev.switchboard.voice.pacing;

import java.util.Optional;

/** Supplies the next 20 ms of audio to send, if any (the call's playout queue). */
@FunctionalInterface
public interface FrameSource {

  /** One frame of 8 kHz PCM with the id of the prompt/reply it belongs to. */
  record OutgoingFrame(short[] samples, String utteranceId) {}

  Optional<OutgoingFrame> next();
}

package dev.switchboard.voice.media;

/** The moments of one voice turn, in the order they happen. */
public enum TurnStage {
  /** Endpointing decided the caller finished speaking. */
  END_OF_SPEECH,
  /** The recognizer returned the final transcript. */
  FINAL_TRANSCRIPT,
  /** The first reply chunk arrived from the conversation core. */
  FIRST_REPLY_CHUNK,
  /** Text-to-speech returned the first audio of that chunk. */
  FIRST_TTS_AUDIO,
  /** The first RTP packet of the reply left for the caller. */
  FIRST_RTP_PACKET
}

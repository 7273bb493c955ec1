package dev.switchboard.modeladapter.stt;

/**
 * Recorded audio to transcribe.
 *
 * @param bytes the audio, in {@code encoding}
 * @param encoding how the bytes are encoded
 * @param sampleRateHz needed for the headerless encodings (PCM16LE, MULAW, ALAW)
 * @param languageHint BCP 47 hint; empty lets the backend detect
 */
public record AudioInput(byte[] bytes, Encoding encoding, int sampleRateHz, String languageHint) {

  /** Audio encodings we accept. */
  public enum Encoding {
    PCM16LE,
    MULAW,
    ALAW,
    OGG_OPUS,
    WAV,
    MP3;

    /** Raw samples without a container: the sample rate must be given. */
    public boolean headerless() {
      return this == PCM16LE || this == MULAW || this == ALAW;
    }
  }
}

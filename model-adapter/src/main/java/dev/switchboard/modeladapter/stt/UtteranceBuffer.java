package dev.switchboard.modeladapter.stt;

import dev.switchboard.modeladapter.error.ModelFailure;
import dev.switchboard.modeladapter.error.ModelFailure.Kind;
import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * Collects a streamed recognition request: the configuration first, then audio. Headerless audio
 * (PCM, G.711) is cut into utterances of at most {@code maxSeconds}, so a long call turn is
 * transcribed piece by piece; container formats (OGG, WAV, MP3) are kept whole, up to {@code
 * maxContainerBytes}.
 */
public final class UtteranceBuffer {

  private final int maxSeconds;
  private final int maxContainerBytes;
  private AudioInput.Encoding encoding;
  private int sampleRate;
  private String languageHint = "";
  private final ByteArrayOutputStream audio = new ByteArrayOutputStream();

  public UtteranceBuffer(int maxSeconds, int maxContainerBytes) {
    this.maxSeconds = maxSeconds;
    this.maxContainerBytes = maxContainerBytes;
  }

  /** Records the configuration; it must come first and only once. */
  public void configure(AudioInput.Encoding encoding, int sampleRate, String languageHint) {
    if (this.encoding != null) {
      throw invalid("the configuration must be sent once, as the first message");
    }
    if (encoding.headerless() && sampleRate <= 0) {
      throw invalid(encoding + " audio needs sample_rate_hz");
    }
    this.encoding = encoding;
    this.sampleRate = sampleRate;
    this.languageHint = languageHint;
  }

  /** Adds audio; returns the utterances that are complete because the size limit was reached. */
  public List<AudioInput> add(byte[] chunk) {
    if (encoding == null) {
      throw invalid("the first message must carry the configuration, not audio");
    }
    audio.writeBytes(chunk);
    if (encoding.headerless()) {
      int limit = maxSeconds * sampleRate * bytesPerSample();
      if (audio.size() >= limit) {
        return List.of(take());
      }
    } else if (audio.size() > maxContainerBytes) {
      throw invalid("recording larger than " + maxContainerBytes + " bytes");
    }
    return List.of();
  }

  /** What is left once the caller has finished sending. */
  public List<AudioInput> finish() {
    if (encoding == null || audio.size() == 0) {
      return List.of();
    }
    return List.of(take());
  }

  private AudioInput take() {
    AudioInput input = new AudioInput(audio.toByteArray(), encoding, sampleRate, languageHint);
    audio.reset();
    return input;
  }

  private int bytesPerSample() {
    return encoding == AudioInput.Encoding.PCM16LE ? 2 : 1;
  }

  private static ModelFailure invalid(String message) {
    return ModelFailure.of(Kind.INVALID_REQUEST, "gateway", message);
  }
}

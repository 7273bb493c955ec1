package dev.switchboard.voice.pipeline;

import dev.switchboard.voice.audio.Resampler;
import java.util.ArrayDeque;

/**
 * Streams the caller's speech to a {@link SpeechRecognizer} while they talk: it opens a stream when
 * speech starts, first sends the buffered pre-roll (the audio just before the VAD was sure, so the
 * first syllable is not clipped), then every frame until the utterance ends, and finishes or
 * cancels the stream accordingly. All frames pass through.
 */
public final class SpeechToTextBridge implements FrameProcessor {

  private final SpeechRecognizer recognizer;
  private final int preRollMillis;
  private final SampleBatch batch;
  private final ArrayDeque<short[]> preRoll = new ArrayDeque<>();
  private double preRollHeldMillis;
  private Resampler resampler;
  private SpeechRecognizer.RecognitionStream stream;
  private long utterancesFinished;

  /**
   * @param preRollMillis audio kept from before speech start (the VAD's onset plus a margin)
   * @param sendMillis audio gathered into each message to the recognizer (20 sends every frame)
   */
  public SpeechToTextBridge(SpeechRecognizer recognizer, int preRollMillis, int sendMillis) {
    this.recognizer = recognizer;
    this.preRollMillis = preRollMillis;
    this.batch = new SampleBatch(sendMillis * recognizer.sampleRate() / 1000);
  }

  @Override
  public void process(Frame frame, FrameSink downstream) {
    if (frame instanceof AudioFrame audio) {
      onAudio(audio);
    } else if (frame instanceof UserStartedSpeakingFrame) {
      openStream();
    } else if (frame instanceof UserStoppedSpeakingFrame) {
      if (stream != null) {
        flush();
        stream.finish();
        stream = null;
        utterancesFinished++;
      }
    } else if (frame instanceof SpeechDiscardedFrame || frame instanceof EndFrame) {
      if (stream != null) {
        batch.clear();
        stream.cancel();
        stream = null;
      }
    }
    downstream.push(frame);
  }

  /** Utterances handed to the recognizer for a final transcript. */
  public long utterancesFinished() {
    return utterancesFinished;
  }

  private void onAudio(AudioFrame audio) {
    if (stream != null) {
      send(convert(audio));
      return;
    }
    preRoll.addLast(audio.samples());
    preRollHeldMillis += audio.millis();
    while (preRollHeldMillis - millis(preRoll.peekFirst(), audio.sampleRate()) >= preRollMillis) {
      preRollHeldMillis -= millis(preRoll.pollFirst(), audio.sampleRate());
    }
    if (resampler == null || resampler.inputRate() != audio.sampleRate()) {
      resampler = new Resampler(audio.sampleRate(), recognizer.sampleRate());
    }
  }

  private void openStream() {
    if (stream != null) {
      return;
    }
    stream = recognizer.open();
    if (resampler != null) {
      resampler.reset();
    }
    for (short[] held : preRoll) {
      batch.add(convert(new AudioFrame(held, resampler == null ? 8000 : resampler.inputRate())));
    }
    flush();
    preRoll.clear();
    preRollHeldMillis = 0;
  }

  private void send(short[] samples) {
    if (batch.add(samples)) {
      stream.send(batch.drain());
    }
  }

  /** Sends what the batch holds, however little. */
  private void flush() {
    if (!batch.isEmpty()) {
      stream.send(batch.drain());
    }
  }

  private short[] convert(AudioFrame audio) {
    if (audio.sampleRate() == recognizer.sampleRate()) {
      return audio.samples();
    }
    if (resampler == null || resampler.inputRate() != audio.sampleRate()) {
      resampler = new Resampler(audio.sampleRate(), recognizer.sampleRate());
    }
    return resampler.process(audio.samples());
  }

  private static double millis(short[] samples, int sampleRate) {
    return samples == null ? 0 : samples.length * 1000.0 / sampleRate;
  }
}

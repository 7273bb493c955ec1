package dev.switchboard.modeladapter.tts;

import com.sun.speech.freetts.Voice;
import com.sun.speech.freetts.audio.AudioPlayer;
import com.sun.speech.freetts.en.us.cmu_us_kal.KevinVoiceDirectory;
import dev.switchboard.modeladapter.audio.Pcm;
import dev.switchboard.modeladapter.error.ModelFailure;
import dev.switchboard.modeladapter.error.ModelFailure.Kind;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import javax.sound.sampled.AudioFormat;

/**
 * Pure-Java local TTS with FreeTTS's 16 kHz "kevin16" voice (English only; the request's voice and
 * language are ignored). A FreeTTS voice is not thread-safe, so a small pool of allocated voices
 * serves concurrent requests on worker threads; audio is emitted per utterance as FreeTTS writes
 * it, so a long text starts playing after its first sentence.
 */
public final class FreeTtsBackend implements TtsBackend {

  public static final String NAME = "freetts";
  private static final int RATE = 16_000;

  private final BlockingQueue<Voice> voices;
  private final Executor workers;

  public FreeTtsBackend(int poolSize, Executor workers) {
    this.workers = workers;
    this.voices = new ArrayBlockingQueue<>(poolSize);
    for (int i = 0; i < poolSize; i++) {
      voices.add(allocateVoice());
    }
  }

  private static Voice allocateVoice() {
    Voice voice =
        Arrays.stream(new KevinVoiceDirectory().getVoices())
            .filter(candidate -> candidate.getName().equals("kevin16"))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("FreeTTS voice kevin16 not found"));
    voice.allocate();
    return voice;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int nativeSampleRate() {
    return RATE;
  }

  @Override
  public Multi<PcmChunk> synthesize(SpeechRequest request) {
    return Multi.createFrom().emitter(emitter -> workers.execute(() -> speak(request, emitter)));
  }

  private void speak(SpeechRequest request, MultiEmitter<? super PcmChunk> emitter) {
    Voice voice;
    try {
      voice = voices.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      emitter.fail(ModelFailure.of(Kind.PROVIDER_FAILURE, NAME, "interrupted"));
      return;
    }
    try {
      voice.setAudioPlayer(new EmittingPlayer(emitter));
      voice.speak(request.text());
      emitter.complete();
    } catch (RuntimeException e) {
      emitter.fail(
          ModelFailure.of(Kind.PROVIDER_FAILURE, NAME, "FreeTTS failed: " + e.getMessage()));
    } finally {
      voices.add(voice);
    }
  }

  /** Receives FreeTTS's audio and emits it as little-endian PCM chunks. */
  private static final class EmittingPlayer implements AudioPlayer {
    private final MultiEmitter<? super PcmChunk> emitter;
    private AudioFormat format = new AudioFormat(RATE, 16, 1, true, true);
    private float volume = 1f;

    EmittingPlayer(MultiEmitter<? super PcmChunk> emitter) {
      this.emitter = emitter;
    }

    @Override
    public void setAudioFormat(AudioFormat format) {
      this.format = format;
    }

    @Override
    public AudioFormat getAudioFormat() {
      return format;
    }

    @Override
    public boolean write(byte[] audio) {
      return write(audio, 0, audio.length);
    }

    @Override
    public boolean write(byte[] audio, int offset, int size) {
      if (emitter.isCancelled()) {
        return false; // tells FreeTTS to stop synthesizing
      }
      short[] samples =
          format.isBigEndian()
              ? Pcm.fromBigEndian(audio, offset, size)
              : Pcm.fromLittleEndian(audio, offset, size);
      emitter.emit(new PcmChunk(Pcm.toLittleEndian(samples), (int) format.getSampleRate()));
      return true;
    }

    @Override
    public void begin(int size) {}

    @Override
    public boolean end() {
      return !emitter.isCancelled();
    }

    @Override
    public boolean drain() {
      return true;
    }

    @Override
    public void pause() {}

    @Override
    public void resume() {}

    @Override
    public void reset() {}

    @Override
    public void cancel() {}

    @Override
    public void close() {}

    @Override
    public float getVolume() {
      return volume;
    }

    @Override
    public void setVolume(float volume) {
      this.volume = volume;
    }

    @Override
    public long getTime() {
      return 0;
    }

    @Override
    public void resetTime() {}

    @Override
    public void startFirstSampleTimer() {}

    @Override
    public void showMetrics() {}
  }
}

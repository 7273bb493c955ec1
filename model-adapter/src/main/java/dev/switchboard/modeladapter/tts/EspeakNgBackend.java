package dev.switchboard.modeladapter.tts;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import dev.switchboard.modeladapter.audio.Pcm;
import dev.switchboard.modeladapter.error.ModelFailure;
import dev.switchboard.modeladapter.error.ModelFailure.Kind;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;

/**
 * Local TTS through libespeak-ng (Debian package {@code libespeak-ng1}) loaded with JNA, in
 * synchronous retrieval mode: espeak calls us back with ~{@value #BUFFER_MS} ms of audio at a time.
 * The library keeps global state, so one synthesis runs at a time.
 */
public final class EspeakNgBackend implements TtsBackend {

  public static final String NAME = "espeak-ng";
  private static final Logger LOG = Logger.getLogger(EspeakNgBackend.class);
  private static final int AUDIO_OUTPUT_SYNCHRONOUS = 2;
  private static final int POS_CHARACTER = 1;
  private static final int ESPEAK_CHARS_UTF8 = 1;
  private static final int BUFFER_MS = 60;

  /** The part of espeak-ng's C API (speak_lib.h) we use. */
  public interface EspeakLibrary extends Library {
    int espeak_Initialize(int output, int bufferLengthMs, String path, int options);

    void espeak_SetSynthCallback(SynthCallback callback);

    int espeak_SetVoiceByName(String name);

    int espeak_Synth(
        byte[] text,
        NativeLong size,
        int position,
        int positionType,
        int endPosition,
        int flags,
        Pointer uniqueIdentifier,
        Pointer userData);

    /** {@code int SynthCallback(short *wav, int numsamples, espeak_EVENT *events)}. */
    interface SynthCallback extends Callback {
      int invoke(Pointer wav, int numSamples, Pointer events);
    }
  }

  private final EspeakLibrary library;
  private final int sampleRate;
  private final Executor workers;
  private final String defaultVoice;
  private final Object lock = new Object();
  private MultiEmitter<? super PcmChunk> current;
  // Held so the native side's callback is never garbage-collected.
  private final EspeakLibrary.SynthCallback callback = this::onAudio;

  private EspeakNgBackend(
      EspeakLibrary library, int sampleRate, Executor workers, String defaultVoice) {
    this.library = library;
    this.sampleRate = sampleRate;
    this.workers = workers;
    this.defaultVoice = defaultVoice;
    library.espeak_SetSynthCallback(callback);
  }

  /** Loads libespeak-ng if the OS has it; empty (with the reason logged) otherwise. */
  public static Optional<EspeakNgBackend> load(Executor workers, String defaultVoice) {
    try {
      EspeakLibrary library = Native.load("espeak-ng", EspeakLibrary.class);
      int rate = library.espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, BUFFER_MS, null, 0);
      if (rate <= 0) {
        LOG.warnf("libespeak-ng found but failed to initialise (%d)", rate);
        return Optional.empty();
      }
      return Optional.of(new EspeakNgBackend(library, rate, workers, defaultVoice));
    } catch (UnsatisfiedLinkError e) {
      LOG.debugf("libespeak-ng not available: %s", e.getMessage());
      return Optional.empty();
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int nativeSampleRate() {
    return sampleRate;
  }

  @Override
  public Multi<PcmChunk> synthesize(SpeechRequest request) {
    return Multi.createFrom().emitter(emitter -> workers.execute(() -> speak(request, emitter)));
  }

  private void speak(SpeechRequest request, MultiEmitter<? super PcmChunk> emitter) {
    synchronized (lock) {
      try {
        String voice =
            !request.voice().isEmpty()
                ? request.voice()
                : !request.language().isEmpty() ? request.language().toLowerCase() : defaultVoice;
        if (library.espeak_SetVoiceByName(voice) != 0) {
          library.espeak_SetVoiceByName(defaultVoice);
        }
        byte[] utf8 = (request.text() + "\0").getBytes(StandardCharsets.UTF_8);
        current = emitter;
        int status =
            library.espeak_Synth(
                utf8,
                new NativeLong(utf8.length),
                0,
                POS_CHARACTER,
                0,
                ESPEAK_CHARS_UTF8,
                null,
                null);
        if (status != 0 && !emitter.isCancelled()) {
          emitter.fail(
              ModelFailure.of(Kind.PROVIDER_FAILURE, NAME, "espeak_Synth failed: " + status));
          return;
        }
        emitter.complete();
      } finally {
        current = null;
      }
    }
  }

  /** Called by espeak on the synthesizing thread; returning 1 aborts the synthesis. */
  private int onAudio(Pointer wav, int numSamples, Pointer events) {
    MultiEmitter<? super PcmChunk> emitter = current;
    if (emitter == null || emitter.isCancelled()) {
      return 1;
    }
    if (wav != null && numSamples > 0) {
      short[] samples = wav.getShortArray(0, numSamples);
      emitter.emit(new PcmChunk(Pcm.toLittleEndian(samples), sampleRate));
    }
    return 0;
  }
}

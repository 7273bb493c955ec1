package dev.switchboard.modeladapter.tts;

import dev.switchboard.modeladapter.audio.Pcm;
import dev.switchboard.modeladapter.audio.Resampler;
import dev.switchboard.modeladapter.metrics.ModelMetrics;
import dev.switchboard.modeladapter.resilience.Guard;
import io.smallrye.mutiny.Multi;

/**
 * Runs a TTS backend behind its guard and resamples its output, chunk by chunk, to the requested
 * rate, so the first audio leaves as soon as the backend produced it.
 */
public final class SpeechPipeline {

  private final TtsBackend backend;
  private final Guard guard;
  private final ModelMetrics metrics;

  public SpeechPipeline(TtsBackend backend, Guard guard, ModelMetrics metrics) {
    this.backend = backend;
    this.guard = guard;
    this.metrics = metrics;
  }

  public String backendName() {
    return backend.name();
  }

  public Multi<PcmChunk> synthesize(SpeechRequest request) {
    int target = request.sampleRateHz() > 0 ? request.sampleRateHz() : backend.nativeSampleRate();
    return guard.stream(
        () ->
            Multi.createFrom()
                .deferred(
                    () -> {
                      Conversion conversion = new Conversion(target);
                      return backend
                          .synthesize(request)
                          .onItem()
                          .transform(conversion::convert)
                          .onCompletion()
                          .continueWith(conversion::finish)
                          .select()
                          .where(chunk -> chunk.pcm16le().length > 0)
                          .onItem()
                          .invoke(
                              chunk ->
                                  metrics.audioSeconds("tts", backend.name(), chunk.seconds()));
                    }));
  }

  /** Per-stream resampling state; the resampler is created for the first chunk's rate. */
  private static final class Conversion {
    private final int target;
    private Resampler resampler;

    Conversion(int target) {
      this.target = target;
    }

    PcmChunk convert(PcmChunk chunk) {
      if (resampler == null) {
        resampler = new Resampler(chunk.sampleRateHz(), target);
      }
      short[] samples = Pcm.fromLittleEndian(chunk.pcm16le(), 0, chunk.pcm16le().length);
      return new PcmChunk(Pcm.toLittleEndian(resampler.process(samples)), target);
    }

    java.util.List<PcmChunk> finish() {
      if (resampler == null) {
        return java.util.List.of();
      }
      return java.util.List.of(new PcmChunk(Pcm.toLittleEndian(resampler.flush()), target));
    }
  }
}

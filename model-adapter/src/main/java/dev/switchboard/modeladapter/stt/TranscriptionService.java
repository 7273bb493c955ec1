package dev.switchboard.modeladapter.stt;

import dev.switchboard.modeladapter.metrics.ModelMetrics;
import dev.switchboard.modeladapter.resilience.Guard;
import io.smallrye.mutiny.Uni;

/** Runs the configured speech-to-text backend behind its guard and counts audio seconds. */
public final class TranscriptionService {

  private final SttBackend backend;
  private final Guard guard;
  private final ModelMetrics metrics;

  public TranscriptionService(SttBackend backend, Guard guard, ModelMetrics metrics) {
    this.backend = backend;
    this.guard = guard;
    this.metrics = metrics;
  }

  public String backendName() {
    return backend.name();
  }

  public Uni<Transcript> transcribe(AudioInput audio) {
    return guard
        .single(() -> backend.transcribe(audio))
        .invoke(
            transcript -> {
              if (audio.encoding().headerless()) {
                int bytesPerSample = audio.encoding() == AudioInput.Encoding.PCM16LE ? 2 : 1;
                metrics.audioSeconds(
                    "stt",
                    backend.name(),
                    audio.bytes().length / (double) bytesPerSample / audio.sampleRateHz());
              }
            });
  }
}

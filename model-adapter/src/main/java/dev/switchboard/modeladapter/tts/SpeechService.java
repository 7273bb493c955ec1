package dev.switchboard.modeladapter.tts;

import dev.switchboard.modeladapter.error.ModelFailure;
import io.smallrye.mutiny.Multi;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/** Synthesis with an optional fallback pipeline used when the primary fails before any audio. */
public final class SpeechService {

  private static final Logger LOG = Logger.getLogger(SpeechService.class);

  private final SpeechPipeline primary;
  private final SpeechPipeline fallback;

  /**
   * @param primary the configured pipeline
   * @param fallback used when the primary fails before its first chunk; may be null
   */
  public SpeechService(SpeechPipeline primary, SpeechPipeline fallback) {
    this.primary = primary;
    this.fallback = fallback;
  }

  public String backendName() {
    return primary.backendName();
  }

  public Multi<PcmChunk> synthesize(SpeechRequest request) {
    if (fallback == null) {
      return primary.synthesize(request);
    }
    return Multi.createFrom()
        .deferred(
            () -> {
              AtomicBoolean emitted = new AtomicBoolean(false);
              return primary
                  .synthesize(request)
                  .onItem()
                  .invoke(() -> emitted.set(true))
                  .onFailure(failure -> failure instanceof ModelFailure && !emitted.get())
                  .recoverWithMulti(
                      failure -> {
                        LOG.warnf(
                            "TTS backend %s failed (%s); synthesizing with %s",
                            primary.backendName(),
                            ((ModelFailure) failure).kind(),
                            fallback.backendName());
                        return fallback.synthesize(request);
                      });
            });
  }
}

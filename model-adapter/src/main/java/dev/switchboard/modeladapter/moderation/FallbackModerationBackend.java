package dev.switchboard.modeladapter.moderation;

import dev.switchboard.modeladapter.error.ModelFailure;
import dev.switchboard.modeladapter.metrics.ModelMetrics;
import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;

/** Classifies with the primary backend; when it fails, the local classifier answers instead. */
public final class FallbackModerationBackend implements ModerationBackend {

  private static final Logger LOG = Logger.getLogger(FallbackModerationBackend.class);

  private final ModerationBackend primary;
  private final ModerationBackend fallback;
  private final ModelMetrics metrics;

  public FallbackModerationBackend(
      ModerationBackend primary, ModerationBackend fallback, ModelMetrics metrics) {
    this.primary = primary;
    this.fallback = fallback;
    this.metrics = metrics;
  }

  @Override
  public String name() {
    return primary.name();
  }

  @Override
  public Uni<ModerationResult> classify(String text) {
    return primary
        .classify(text)
        .onFailure(ModelFailure.class)
        .recoverWithUni(
            failure -> {
              LOG.warnf(
                  "moderation backend %s failed (%s); classifying with %s",
                  primary.name(), ((ModelFailure) failure).kind(), fallback.name());
              metrics.fallback("moderation", primary.name(), fallback.name());
              return fallback.classify(text);
            });
  }
}

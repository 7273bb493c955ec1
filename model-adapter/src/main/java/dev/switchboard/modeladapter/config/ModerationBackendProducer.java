package dev.switchboard.modeladapter.config;

import dev.switchboard.modeladapter.metrics.ModelMetrics;
import dev.switchboard.modeladapter.moderation.FallbackModerationBackend;
import dev.switchboard.modeladapter.moderation.GuardedModerationBackend;
import dev.switchboard.modeladapter.moderation.LexiconModerationBackend;
import dev.switchboard.modeladapter.moderation.ModerationBackend;
import dev.switchboard.modeladapter.openai.OpenAiModerationBackend;
import dev.switchboard.modeladapter.resilience.CircuitBreaker;
import dev.switchboard.modeladapter.resilience.Guard;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import java.time.Duration;
import java.util.Locale;
import org.jboss.logging.Logger;

/** Chooses and builds the moderation backend from configuration. */
@ApplicationScoped
public class ModerationBackendProducer {

  private static final Logger LOG = Logger.getLogger(ModerationBackendProducer.class);

  private final ModelAdapterConfig config;
  private final OpenAiHttpProducer openAi;
  private final ModelMetrics metrics;

  public ModerationBackendProducer(
      ModelAdapterConfig config, OpenAiHttpProducer openAi, ModelMetrics metrics) {
    this.config = config;
    this.openAi = openAi;
    this.metrics = metrics;
  }

  /** Builds the backend at start-up: its log line shows, and no caller pays for loading it. */
  void buildAtStartup(@Observes StartupEvent started, ModerationBackend moderation) {
    moderation.name();
  }

  @Produces
  @ApplicationScoped
  ModerationBackend moderationBackend() {
    ModelAdapterConfig.ModerationSettings settings = config.moderation();
    String choice = settings.backend().trim().toLowerCase(Locale.ROOT);
    if (choice.equals("auto")) {
      choice =
          config.openai().apiKey().filter(key -> !key.isBlank()).isPresent() ? "openai" : "local";
    }
    ModerationBackend local = new LexiconModerationBackend();
    ModerationBackend primary =
        switch (choice) {
          case "local" -> local;
          case "openai" -> new OpenAiModerationBackend(openAi.http(), settings.model());
          default ->
              throw new IllegalStateException(
                  "switchboard.model.moderation.backend must be local, openai or auto, not '"
                      + settings.backend()
                      + "'");
        };
    LOG.infof("Moderation backend: %s", primary.name());
    Guard guard =
        new Guard(
            "moderation",
            primary.name(),
            1024,
            new CircuitBreaker(5, Duration.ofSeconds(30)),
            settings.timeout(),
            metrics);
    ModerationBackend guarded = new GuardedModerationBackend(primary, guard);
    if (primary == local || !settings.fallbackToLocal()) {
      return guarded;
    }
    return new FallbackModerationBackend(guarded, local, metrics);
  }
}

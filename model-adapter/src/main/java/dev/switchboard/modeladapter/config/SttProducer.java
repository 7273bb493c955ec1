package dev.switchboard.modeladapter.config;

import dev.switchboard.modeladapter.metrics.ModelMetrics;
import dev.switchboard.modeladapter.resilience.CircuitBreaker;
import dev.switchboard.modeladapter.resilience.Guard;
import dev.switchboard.modeladapter.stt.OpenAiTranscriptionBackend;
import dev.switchboard.modeladapter.stt.SttBackend;
import dev.switchboard.modeladapter.stt.TranscriptionService;
import dev.switchboard.modeladapter.stt.VoskSttBackend;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/** Chooses and builds the speech-to-text backend from configuration. */
@ApplicationScoped
public class SttProducer {

  private static final Logger LOG = Logger.getLogger(SttProducer.class);

  private final ModelAdapterConfig config;
  private final OpenAiHttpProducer openAi;
  private final ModelMetrics metrics;
  private final ExecutorService workers =
      Executors.newFixedThreadPool(
          2,
          task -> {
            Thread thread = new Thread(task, "local-stt");
            thread.setDaemon(true);
            return thread;
          });

  public SttProducer(ModelAdapterConfig config, OpenAiHttpProducer openAi, ModelMetrics metrics) {
    this.config = config;
    this.openAi = openAi;
    this.metrics = metrics;
  }

  /** Builds the backend at start-up: its log line shows, and no caller pays for loading it. */
  void buildAtStartup(@Observes StartupEvent started, TranscriptionService stt) {
    stt.backendName();
  }

  @Produces
  @ApplicationScoped
  TranscriptionService transcriptionService() {
    ModelAdapterConfig.Stt stt = config.stt();
    String choice = stt.backend().trim().toLowerCase(Locale.ROOT);
    if (choice.equals("auto")) {
      choice =
          config.openai().apiKey().filter(key -> !key.isBlank()).isPresent() ? "openai" : "local";
    }
    SttBackend backend =
        switch (choice) {
          case "openai" -> new OpenAiTranscriptionBackend(openAi.http(), stt.openaiModel());
          case "local" -> {
            VoskSttBackend vosk = new VoskSttBackend(stt.voskModelDir(), workers);
            vosk.problem()
                .ifPresent(
                    problem ->
                        LOG.warnf("Speech-to-text (local Vosk) is not usable yet: %s", problem));
            yield vosk;
          }
          default ->
              throw new IllegalStateException(
                  "switchboard.model.stt.backend must be openai, local or auto, not '"
                      + stt.backend()
                      + "'");
        };
    LOG.infof("Speech-to-text backend: %s", backend.name());
    Guard guard =
        new Guard(
            "stt",
            backend.name(),
            256,
            new CircuitBreaker(5, Duration.ofSeconds(30)),
            stt.timeout(),
            metrics);
    return new TranscriptionService(backend, guard, metrics);
  }

  @PreDestroy
  void stop() {
    workers.shutdownNow();
  }
}

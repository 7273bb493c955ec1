package dev.switchboard.modeladapter.config;

import dev.switchboard.modeladapter.metrics.ModelMetrics;
import dev.switchboard.modeladapter.resilience.CircuitBreaker;
import dev.switchboard.modeladapter.resilience.Guard;
import dev.switchboard.modeladapter.tts.EspeakNgBackend;
import dev.switchboard.modeladapter.tts.FreeTtsBackend;
import dev.switchboard.modeladapter.tts.OpenAiSpeechBackend;
import dev.switchboard.modeladapter.tts.SpeechPipeline;
import dev.switchboard.modeladapter.tts.SpeechService;
import dev.switchboard.modeladapter.tts.TtsBackend;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/** Chooses and builds the text-to-speech chain from configuration. */
@ApplicationScoped
public class TtsProducer {

  private static final Logger LOG = Logger.getLogger(TtsProducer.class);

  private final ModelAdapterConfig config;
  private final OpenAiHttpProducer openAi;
  private final ModelMetrics metrics;
  private final ExecutorService workers;

  public TtsProducer(ModelAdapterConfig config, OpenAiHttpProducer openAi, ModelMetrics metrics) {
    this.config = config;
    this.openAi = openAi;
    this.metrics = metrics;
    AtomicInteger count = new AtomicInteger();
    this.workers =
        Executors.newFixedThreadPool(
            config.tts().freettsVoices() + 1,
            task -> {
              Thread thread = new Thread(task, "local-tts-" + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Builds the backend at start-up: its log line shows, and no caller pays for loading it. */
  void buildAtStartup(@Observes StartupEvent started, SpeechService speech) {
    speech.backendName();
  }

  @Produces
  @ApplicationScoped
  SpeechService speechService() {
    ModelAdapterConfig.Tts tts = config.tts();
    String choice = tts.backend().trim().toLowerCase(Locale.ROOT);
    if (choice.equals("auto")) {
      choice =
          config.openai().apiKey().filter(key -> !key.isBlank()).isPresent() ? "openai" : "local";
    }
    return switch (choice) {
      case "local" -> new SpeechService(pipeline(local()), null);
      case "openai" -> {
        TtsBackend openai =
            new OpenAiSpeechBackend(openAi.http(), tts.openaiModel(), tts.openaiVoice());
        LOG.infof("TTS backend: openai (%s)", tts.openaiModel());
        yield new SpeechService(pipeline(openai), tts.fallbackToLocal() ? pipeline(local()) : null);
      }
      default ->
          throw new IllegalStateException(
              "switchboard.model.tts.backend must be local, openai or auto, not '"
                  + tts.backend()
                  + "'");
    };
  }

  private SpeechPipeline pipeline(TtsBackend backend) {
    Guard guard =
        new Guard(
            "tts",
            backend.name(),
            256,
            new CircuitBreaker(5, Duration.ofSeconds(30)),
            config.tts().outputGapTimeout(),
            metrics);
    return new SpeechPipeline(backend, guard, metrics);
  }

  private TtsBackend local() {
    ModelAdapterConfig.Tts tts = config.tts();
    String engine = tts.localEngine().trim().toLowerCase(Locale.ROOT);
    if (!engine.equals("freetts")) {
      var espeak = EspeakNgBackend.load(workers, tts.espeakVoice());
      if (espeak.isPresent()) {
        LOG.infof("TTS local engine: espeak-ng (%d Hz)", espeak.get().nativeSampleRate());
        return espeak.get();
      }
      if (engine.equals("espeak")) {
        throw new IllegalStateException(
            "switchboard.model.tts.local-engine=espeak but libespeak-ng cannot be loaded;"
                + " install the Debian package libespeak-ng1 or choose freetts");
      }
    }
    LOG.infof("TTS local engine: FreeTTS kevin16 (16000 Hz, %d voices)", tts.freettsVoices());
    return new FreeTtsBackend(tts.freettsVoices(), workers);
  }

  @PreDestroy
  void stop() {
    workers.shutdownNow();
  }
}

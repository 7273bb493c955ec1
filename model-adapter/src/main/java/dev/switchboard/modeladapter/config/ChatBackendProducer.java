package dev.switchboard.modeladapter.config;

import dev.switchboard.modeladapter.chat.ChatBackend;
import dev.switchboard.modeladapter.chat.FallbackChatBackend;
import dev.switchboard.modeladapter.chat.GuardedChatBackend;
import dev.switchboard.modeladapter.chat.scripted.ChatScript;
import dev.switchboard.modeladapter.chat.scripted.ChatScriptLoader;
import dev.switchboard.modeladapter.chat.scripted.ScriptedChatBackend;
import dev.switchboard.modeladapter.metrics.ModelMetrics;
import dev.switchboard.modeladapter.openai.OpenAiChatBackend;
import dev.switchboard.modeladapter.openai.OpenAiHttp;
import dev.switchboard.modeladapter.resilience.CircuitBreaker;
import dev.switchboard.modeladapter.resilience.Guard;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import java.util.Locale;
import org.jboss.logging.Logger;

/** Chooses and builds the chat backend from configuration. */
@ApplicationScoped
public class ChatBackendProducer {

  private static final Logger LOG = Logger.getLogger(ChatBackendProducer.class);

  private final ModelAdapterConfig config;
  private final OpenAiHttpProducer openAi;
  private final ModelMetrics metrics;

  public ChatBackendProducer(
      ModelAdapterConfig config, OpenAiHttpProducer openAi, ModelMetrics metrics) {
    this.config = config;
    this.openAi = openAi;
    this.metrics = metrics;
  }

  /**
   * The chat chain: the chosen backend behind a guard (bulkhead, circuit breaker, deadline,
   * metrics), then, unless switched off, the scripted apology for when it fails.
   */
  @Produces
  @ApplicationScoped
  ChatBackend chatBackend() {
    ModelAdapterConfig.Chat chat = config.chat();
    ChatBackend primary = primary();
    Guard guard =
        new Guard(
            "chat",
            primary.name(),
            chat.maxConcurrent(),
            new CircuitBreaker(chat.circuitFailureThreshold(), chat.circuitOpenFor()),
            chat.outputGapTimeout(),
            metrics);
    ChatBackend guarded = new GuardedChatBackend(primary, guard, metrics);
    if (!chat.fallbackToApology() || primary.name().equals(ScriptedChatBackend.NAME)) {
      return guarded;
    }
    return new FallbackChatBackend(guarded, ScriptedChatBackend.apology(chat.apology()), metrics);
  }

  private ChatBackend primary() {
    String choice = resolveChoice(config);
    return switch (choice) {
      case ScriptedChatBackend.NAME -> scripted();
      case OpenAiChatBackend.NAME -> {
        OpenAiHttp http = openAi.http();
        LOG.infof(
            "Chat backend: openai at %s, default model %s",
            http.settings().baseUrl(), config.chat().defaultModel());
        yield new OpenAiChatBackend(http, config.chat().defaultModel());
      }
      default ->
          throw new IllegalStateException(
              "switchboard.model.chat.backend must be openai, scripted or auto, not '"
                  + config.chat().backend()
                  + "'");
    };
  }

  /** Builds the backend at start-up so its log line (scripted or not) is the first thing seen. */
  void announceAtStartup(@Observes StartupEvent started, ChatBackend chat) {
    LOG.infof("Chat requests are answered by the %s backend", chat.name());
  }

  /** {@code auto} means openai when an API key is configured, otherwise scripted. */
  static String resolveChoice(ModelAdapterConfig config) {
    String configured = config.chat().backend().trim().toLowerCase(Locale.ROOT);
    if (!configured.equals("auto")) {
      return configured;
    }
    boolean hasKey = config.openai().apiKey().filter(key -> !key.isBlank()).isPresent();
    return hasKey ? OpenAiChatBackend.NAME : ScriptedChatBackend.NAME;
  }

  private ChatBackend scripted() {
    ChatScript script =
        config
            .scripted()
            .script()
            .map(ChatScriptLoader::fromFile)
            .orElseGet(ChatScriptLoader::builtIn);
    String source =
        config
            .scripted()
            .script()
            .map(Object::toString)
            .orElse("built-in classpath:" + ChatScriptLoader.BUILT_IN);
    LOG.warnf(
        "Chat backend: SCRIPTED. Replies come from a fixed script (%s, %d rules), not from an AI"
            + " model. Set OPENAI_API_KEY or switchboard.model.chat.backend=openai for real"
            + " answers.",
        source, script.rules().size());
    return new ScriptedChatBackend(script);
  }
}

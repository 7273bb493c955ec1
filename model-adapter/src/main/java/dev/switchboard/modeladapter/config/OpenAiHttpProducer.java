package dev.switchboard.modeladapter.config;

import dev.switchboard.modeladapter.openai.OpenAiHttp;
import dev.switchboard.modeladapter.openai.OpenAiSettings;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/** Owns the one HTTP client to the OpenAI-compatible provider, created on first use. */
@ApplicationScoped
public class OpenAiHttpProducer {

  private final Vertx vertx;
  private final ModelAdapterConfig config;
  private OpenAiHttp http;

  public OpenAiHttpProducer(Vertx vertx, ModelAdapterConfig config) {
    this.vertx = vertx;
    this.config = config;
  }

  /** The shared client; built lazily so a scripted-only gateway opens no provider pool. */
  public synchronized OpenAiHttp http() {
    if (http == null) {
      ModelAdapterConfig.OpenAi openai = config.openai();
      http =
          new OpenAiHttp(
              vertx,
              new OpenAiSettings(
                  openai.baseUrl(),
                  openai.apiKey().orElse(""),
                  openai.connectTimeout(),
                  openai.firstByteTimeout(),
                  openai.idleTimeout(),
                  openai.maxRetries(),
                  openai.retryBackoff(),
                  openai.maxConnections()));
    }
    return http;
  }

  @PreDestroy
  synchronized void close() {
    if (http != null) {
      http.close();
    }
  }
}

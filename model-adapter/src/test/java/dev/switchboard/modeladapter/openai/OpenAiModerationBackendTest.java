package dev.switchboard.modeladapter.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.switchboard.modeladapter.error.ModelFailure;
import dev.switchboard.modeladapter.metrics.ModelMetrics;
import dev.switchboard.modeladapter.moderation.FallbackModerationBackend;
import dev.switchboard.modeladapter.moderation.LexiconModerationBackend;
import dev.switchboard.modeladapter.moderation.ModerationResult;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The openai moderation backend against WireMock serving the documented moderation JSON. */
class OpenAiModerationBackendTest {

  private static final String PATH = "/v1/moderations";
  private static WireMockServer provider;
  private static Vertx vertx;
  private static OpenAiHttp http;

  @BeforeAll
  static void start() {
    provider = new WireMockServer(wireMockConfig().dynamicPort());
    provider.start();
    vertx = Vertx.vertx();
    http =
        new OpenAiHttp(
            vertx,
            new OpenAiSettings(
                provider.baseUrl() + "/v1",
                "sk-test",
                Duration.ofSeconds(2),
                Duration.ofSeconds(5),
                Duration.ofSeconds(5),
                0,
                Duration.ofMillis(10),
                8));
  }

  @AfterAll
  static void stop() {
    http.close();
    provider.stop();
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  @AfterEach
  void reset() {
    provider.resetAll();
  }

  private static final String FLAGGED_RESPONSE =
      """
      {"id":"modr-0d9740456c391e43c445bf0f010940c7","model":"omni-moderation-latest",
       "results":[{"flagged":true,
         "categories":{"harassment":true,"harassment/threatening":true,"sexual":false,
           "hate":false,"hate/threatening":false,"illicit":false,"illicit/violent":false,
           "self-harm/intent":false,"self-harm/instructions":false,"self-harm":false,
           "sexual/minors":false,"violence":true,"violence/graphic":false},
         "category_scores":{"harassment":0.8189,"harassment/threatening":0.8049,
           "sexual":2.1e-05,"hate":0.0004,"hate/threatening":0.0001,"illicit":0.0013,
           "illicit/violent":0.0009,"self-harm/intent":1.1e-05,"self-harm/instructions":4.0e-06,
           "self-harm":0.0001,"sexual/minors":5.5e-06,"violence":0.9224,
           "violence/graphic":0.0036},
         "category_applied_input_types":{"harassment":["text"],"violence":["text"]}}]}
      """;

  @Test
  void providerScoresAreReportedPerCategory() {
    provider.stubFor(
        post(urlEqualTo(PATH))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody(FLAGGED_RESPONSE)));

    ModerationResult result =
        new OpenAiModerationBackend(http, "omni-moderation-latest")
            .classify("I will hurt you")
            .await()
            .atMost(Duration.ofSeconds(10));

    assertTrue(result.flagged());
    assertEquals("openai", result.backend());
    assertEquals(0.9224, result.score("violence"), 1e-6);
    assertEquals(13, result.scores().size());
    provider.verify(
        postRequestedFor(urlEqualTo(PATH))
            .withRequestBody(
                equalToJson(
                    "{\"model\":\"omni-moderation-latest\",\"input\":\"I will hurt you\"}")));
  }

  @Test
  void rejectedKeyIsKeyRejected() {
    provider.stubFor(
        post(urlEqualTo(PATH))
            .willReturn(
                aResponse()
                    .withStatus(401)
                    .withBody(
                        "{\"error\":{\"message\":\"bad key\",\"code\":\"invalid_api_key\"}}")));

    ModelFailure failure =
        assertThrows(
            ModelFailure.class,
            () ->
                new OpenAiModerationBackend(http, "omni-moderation-latest")
                    .classify("hi")
                    .await()
                    .atMost(Duration.ofSeconds(10)));
    assertEquals(ModelFailure.Kind.KEY_REJECTED, failure.kind());
  }

  @Test
  void providerOutageFallsBackToTheLocalClassifier() {
    provider.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(500)));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();

    ModerationResult result =
        new FallbackModerationBackend(
                new OpenAiModerationBackend(http, "omni-moderation-latest"),
                new LexiconModerationBackend(),
                new ModelMetrics(registry))
            .classify("this recipe is killer")
            .await()
            .atMost(Duration.ofSeconds(10));

    assertEquals("local", result.backend());
    assertFalse(result.flagged());
    assertEquals(
        1.0,
        registry
            .get("switchboard.model.fallbacks")
            .tag("capability", "moderation")
            .counter()
            .count());
  }
}

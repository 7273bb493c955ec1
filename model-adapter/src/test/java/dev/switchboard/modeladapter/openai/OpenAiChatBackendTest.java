package dev.switchboard.modeladapter.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.switchboard.modeladapter.chat.ChatEvent;
import dev.switchboard.modeladapter.chat.ChatMessage;
import dev.switchboard.modeladapter.chat.ChatRequest;
import dev.switchboard.modeladapter.error.ModelFailure;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The openai chat backend against WireMock serving the provider's documented SSE format. */
class OpenAiChatBackendTest {

  private static final String PATH = "/v1/chat/completions";
  private static final String KEY = "sk-test-key";

  private static WireMockServer provider;
  private static Vertx vertx;
  private OpenAiHttp http;

  @BeforeAll
  static void start() {
    provider = new WireMockServer(wireMockConfig().dynamicPort());
    provider.start();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    provider.stop();
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  @AfterEach
  void reset() {
    provider.resetAll();
    if (http != null) {
      http.close();
    }
  }

  private OpenAiChatBackend backend(int maxRetries, Duration firstByte, Duration idle) {
    http =
        new OpenAiHttp(
            vertx,
            new OpenAiSettings(
                provider.baseUrl() + "/v1",
                KEY,
                Duration.ofSeconds(2),
                firstByte,
                idle,
                maxRetries,
                Duration.ofMillis(20),
                16));
    return new OpenAiChatBackend(http, "gpt-4o-mini");
  }

  private OpenAiChatBackend backend() {
    return backend(0, Duration.ofSeconds(5), Duration.ofSeconds(5));
  }

  private static ChatRequest ask(String text) {
    return new ChatRequest(
        "",
        List.of(new ChatMessage(ChatMessage.Role.USER, List.of(new ChatMessage.Part.Text(text)))),
        0,
        0f,
        "test:1");
  }

  private static List<ChatEvent> run(OpenAiChatBackend backend, ChatRequest request) {
    return backend.generate(request).collect().asList().await().atMost(Duration.ofSeconds(15));
  }

  private static String text(List<ChatEvent> events) {
    return events.stream()
        .filter(ChatEvent.Delta.class::isInstance)
        .map(event -> ((ChatEvent.Delta) event).text())
        .collect(Collectors.joining());
  }

  private static void stubStream(String body) {
    provider.stubFor(
        post(urlEqualTo(PATH))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "text/event-stream")
                    .withBody(body)));
  }

  @Test
  void streamedChunksBecomeDeltasThenUsage() {
    stubStream(OpenAiSse.stream(9, "Hello", " there", ", friend."));

    List<ChatEvent> events = run(backend(), ask("hi"));

    assertEquals("Hello there, friend.", text(events));
    assertEquals(
        new ChatEvent.Completed("stop", 9, 3, OpenAiSse.MODEL, "openai"),
        events.get(events.size() - 1));
    provider.verify(
        postRequestedFor(urlEqualTo(PATH))
            .withHeader("Authorization", equalTo("Bearer " + KEY))
            .withRequestBody(
                equalToJson(
                    "{\"model\":\"gpt-4o-mini\",\"stream\":true,"
                        + "\"stream_options\":{\"include_usage\":true},"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")));
  }

  @Test
  void imagesAreSentAsImageUrlParts() {
    stubStream(OpenAiSse.stream(30, "A", " cat."));
    ChatRequest request =
        new ChatRequest(
            "gpt-4o",
            List.of(
                new ChatMessage(
                    ChatMessage.Role.USER,
                    List.of(
                        new ChatMessage.Part.Text("What is this?"),
                        new ChatMessage.Part.Image(new byte[] {1, 2, 3}, "image/png", "")))),
            50,
            0f,
            "test:2");

    assertEquals("A cat.", text(run(backend(), request)));
    provider.verify(
        postRequestedFor(urlEqualTo(PATH))
            .withRequestBody(matchingJsonPath("$.model", equalTo("gpt-4o")))
            .withRequestBody(matchingJsonPath("$.max_tokens", equalTo("50")))
            .withRequestBody(matchingJsonPath("$.messages[0].content[0].type", equalTo("text")))
            .withRequestBody(
                matchingJsonPath(
                    "$.messages[0].content[1].image_url.url",
                    equalTo("data:image/png;base64,AQID"))));
  }

  @Test
  void eventsSplitAcrossNetworkChunksAreReassembled() {
    provider.stubFor(
        post(urlEqualTo(PATH))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "text/event-stream")
                    .withBody(OpenAiSse.stream(5, "one", " two", " three", " four"))
                    .withChunkedDribbleDelay(40, 400)));

    assertEquals("one two three four", text(run(backend(), ask("count"))));
  }

  @Test
  void rejectedKeyIsKeyRejected() {
    provider.stubFor(
        post(urlEqualTo(PATH))
            .willReturn(
                aResponse()
                    .withStatus(401)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"error\":{\"message\":\"Incorrect API key provided: sk-test***.\","
                            + "\"type\":\"invalid_request_error\",\"param\":null,"
                            + "\"code\":\"invalid_api_key\"}}")));

    ModelFailure failure =
        assertThrows(
            ModelFailure.class,
            () -> run(backend(2, Duration.ofSeconds(5), Duration.ofSeconds(5)), ask("hi")));

    assertEquals(ModelFailure.Kind.KEY_REJECTED, failure.kind());
    assertTrue(failure.getMessage().contains("invalid_api_key"), failure.getMessage());
    provider.verify(1, postRequestedFor(urlEqualTo(PATH))); // a bad key is never retried
  }

  @Test
  void quotaCarriesRetryAfter() {
    provider.stubFor(
        post(urlEqualTo(PATH))
            .willReturn(
                aResponse()
                    .withStatus(429)
                    .withHeader("Retry-After", "20")
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"error\":{\"message\":\"You exceeded your current quota.\","
                            + "\"type\":\"insufficient_quota\",\"param\":null,"
                            + "\"code\":\"insufficient_quota\"}}")));

    ModelFailure failure =
        assertThrows(
            ModelFailure.class,
            () -> run(backend(2, Duration.ofSeconds(5), Duration.ofSeconds(5)), ask("hi")));

    assertEquals(ModelFailure.Kind.QUOTA, failure.kind());
    assertEquals(Duration.ofSeconds(20), failure.retryAfter().orElseThrow());
    provider.verify(1, postRequestedFor(urlEqualTo(PATH))); // a long wait is left to the caller
  }

  @Test
  void unknownModelIsUnknownModel() {
    provider.stubFor(
        post(urlEqualTo(PATH))
            .willReturn(
                aResponse()
                    .withStatus(404)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"error\":{\"message\":\"The model `gpt-9` does not exist or you do not"
                            + " have access to it.\",\"type\":\"invalid_request_error\","
                            + "\"param\":null,\"code\":\"model_not_found\"}}")));

    ModelFailure failure = assertThrows(ModelFailure.class, () -> run(backend(), ask("hi")));

    assertEquals(ModelFailure.Kind.UNKNOWN_MODEL, failure.kind());
  }

  @Test
  void serverErrorBeforeTheFirstByteIsRetried() {
    provider.stubFor(
        post(urlEqualTo(PATH))
            .inScenario("flaky")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(
                aResponse()
                    .withStatus(500)
                    .withBody(
                        "{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\"}}"))
            .willSetStateTo("recovered"));
    provider.stubFor(
        post(urlEqualTo(PATH))
            .inScenario("flaky")
            .whenScenarioStateIs("recovered")
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "text/event-stream")
                    .withBody(OpenAiSse.stream(3, "fine"))));

    List<ChatEvent> events =
        run(backend(2, Duration.ofSeconds(5), Duration.ofSeconds(5)), ask("hi"));

    assertEquals("fine", text(events));
    provider.verify(2, postRequestedFor(urlEqualTo(PATH)));
  }

  @Test
  void persistentServerErrorIsProviderFailure() {
    provider.stubFor(
        post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(503).withBody("busy")));

    ModelFailure failure =
        assertThrows(
            ModelFailure.class,
            () -> run(backend(2, Duration.ofSeconds(5), Duration.ofSeconds(5)), ask("hi")));

    assertEquals(ModelFailure.Kind.PROVIDER_FAILURE, failure.kind());
    provider.verify(3, postRequestedFor(urlEqualTo(PATH)));
  }

  @Test
  void slowProviderTimesOut() {
    provider.stubFor(
        post(urlEqualTo(PATH))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "text/event-stream")
                    .withBody(OpenAiSse.stream(3, "late"))
                    .withFixedDelay(3_000)));

    ModelFailure failure =
        assertThrows(
            ModelFailure.class,
            () -> run(backend(0, Duration.ofMillis(300), Duration.ofSeconds(5)), ask("hi")));

    assertEquals(ModelFailure.Kind.TIMEOUT, failure.kind());
  }

  @Test
  void streamCutBeforeItsEndIsAFailureNotATruncatedReply() {
    List<String> events = OpenAiSse.events(3, "half", " a");
    stubStream(events.get(0) + events.get(1) + events.get(2)); // no finish_reason, no [DONE]

    ModelFailure failure = assertThrows(ModelFailure.class, () -> run(backend(), ask("hi")));

    assertEquals(ModelFailure.Kind.PROVIDER_FAILURE, failure.kind());
    assertFalse(failure.beforeFirstByte(), "text had already been streamed");
  }

  @Test
  void connectionDroppedMidStreamIsProviderFailure() {
    provider.stubFor(
        post(urlEqualTo(PATH)).willReturn(aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK)));

    ModelFailure failure = assertThrows(ModelFailure.class, () -> run(backend(), ask("hi")));

    assertEquals(ModelFailure.Kind.PROVIDER_FAILURE, failure.kind());
  }
}

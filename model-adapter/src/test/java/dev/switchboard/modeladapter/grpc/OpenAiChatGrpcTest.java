package dev.switchboard.modeladapter.grpc;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.switchboard.contracts.model.ChatMessage;
import dev.switchboard.contracts.model.ChatModel;
import dev.switchboard.contracts.model.Completion;
import dev.switchboard.contracts.model.ContentPart;
import dev.switchboard.contracts.model.GenerateRequest;
import dev.switchboard.contracts.model.GenerateResponse;
import dev.switchboard.contracts.model.Role;
import dev.switchboard.modeladapter.openai.OpenAiStandIn;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Generate through gRPC with the openai backend against a WireMock provider, fallback switched off:
 * each provider failure must reach the caller as its own gRPC status.
 */
@QuarkusTest
@TestProfile(OpenAiChatGrpcTest.Profile.class)
@WithTestResource(OpenAiStandIn.class)
class OpenAiChatGrpcTest {

  public static class Profile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "switchboard.model.chat.backend", "openai",
          "switchboard.model.chat.fallback-to-apology", "false",
          "switchboard.model.openai.max-retries", "0",
          "switchboard.model.openai.first-byte-timeout", "2s",
          "switchboard.model.stt.backend", "openai",
          "switchboard.model.stt.max-utterance-seconds", "1");
    }
  }

  private static final String PATH = "/v1/chat/completions";

  @GrpcClient("model")
  ChatModel model;

  private static WireMockServer provider() {
    return OpenAiStandIn.server();
  }

  @AfterEach
  void reset() {
    provider().resetAll();
  }

  private static String sse(String... words) {
    StringBuilder body = new StringBuilder();
    for (String word : words) {
      body.append("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,")
          .append("\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"")
          .append(word)
          .append("\"},\"finish_reason\":null}]}\n\n");
    }
    body.append(
        "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
            + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{},"
            + "\"finish_reason\":\"stop\"}]}\n\n");
    body.append(
        "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
            + "\"model\":\"gpt-4o-mini\",\"choices\":[],"
            + "\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":2,\"total_tokens\":9}}\n\n");
    return body.append("data: [DONE]\n\n").toString();
  }

  private static void stubError(int status, String code, String... headers) {
    var response =
        aResponse()
            .withStatus(status)
            .withHeader("Content-Type", "application/json")
            .withBody(
                "{\"error\":{\"message\":\"stand-in error\",\"type\":\"x\",\"param\":null,"
                    + "\"code\":\""
                    + code
                    + "\"}}");
    for (int i = 0; i + 1 < headers.length; i += 2) {
      response = response.withHeader(headers[i], headers[i + 1]);
    }
    provider().stubFor(post(urlEqualTo(PATH)).willReturn(response));
  }

  private List<GenerateResponse> generate(String modelName) {
    GenerateRequest request =
        GenerateRequest.newBuilder()
            .setModel(modelName)
            .addMessages(
                ChatMessage.newBuilder()
                    .setRole(Role.ROLE_USER)
                    .addContent(ContentPart.newBuilder().setText("Hi")))
            .build();
    return model.generate(request).collect().asList().await().atMost(Duration.ofSeconds(60));
  }

  private StatusRuntimeException failure(String modelName) {
    return assertThrows(StatusRuntimeException.class, () -> generate(modelName));
  }

  @Test
  void providerStreamReachesTheCaller() {
    provider()
        .stubFor(
            post(urlEqualTo(PATH))
                .willReturn(
                    aResponse()
                        .withHeader("Content-Type", "text/event-stream")
                        .withBody(sse("Hello", " there"))));

    List<GenerateResponse> responses = generate("");

    assertEquals("Hello there", ScriptedChatGrpcTest.replyText(responses));
    Completion completion = responses.get(responses.size() - 1).getCompletion();
    assertEquals("openai", completion.getBackend());
    assertEquals(7, completion.getUsage().getInputTokens());
    assertEquals(2, completion.getUsage().getOutputTokens());
  }

  @Test
  void unknownModelIsNotFound() {
    stubError(404, "model_not_found");

    StatusRuntimeException error = failure("gpt-nope");

    assertEquals(Status.Code.NOT_FOUND, error.getStatus().getCode());
    assertEquals("unknown_model", error.getTrailers().get(GrpcErrors.ERROR_KIND));
  }

  @Test
  void rejectedKeyIsUnauthenticated() {
    stubError(401, "invalid_api_key");

    StatusRuntimeException error = failure("");

    assertEquals(Status.Code.UNAUTHENTICATED, error.getStatus().getCode());
    assertEquals("key_rejected", error.getTrailers().get(GrpcErrors.ERROR_KIND));
  }

  @Test
  void quotaIsResourceExhaustedWithRetryAfter() {
    stubError(429, "rate_limit_exceeded", "Retry-After", "7");

    StatusRuntimeException error = failure("");

    assertEquals(Status.Code.RESOURCE_EXHAUSTED, error.getStatus().getCode());
    assertEquals("quota", error.getTrailers().get(GrpcErrors.ERROR_KIND));
    assertEquals("7000", error.getTrailers().get(GrpcErrors.RETRY_AFTER_MS));
  }

  @Test
  void slowProviderIsDeadlineExceeded() {
    provider()
        .stubFor(
            post(urlEqualTo(PATH))
                .willReturn(
                    aResponse()
                        .withHeader("Content-Type", "text/event-stream")
                        .withBody(sse("late"))
                        .withFixedDelay(5_000)));

    StatusRuntimeException error = failure("");

    assertEquals(Status.Code.DEADLINE_EXCEEDED, error.getStatus().getCode());
    assertEquals("timeout", error.getTrailers().get(GrpcErrors.ERROR_KIND));
  }

  @Test
  void providerFailureIsUnavailable() {
    stubError(500, "server_error");

    StatusRuntimeException error = failure("");

    assertEquals(Status.Code.UNAVAILABLE, error.getStatus().getCode());
    assertEquals("provider_failure", error.getTrailers().get(GrpcErrors.ERROR_KIND));
  }
}

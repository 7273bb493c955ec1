package dev.switchboard.modeladapter.grpc;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.contracts.model.ChatMessage;
import dev.switchboard.contracts.model.ChatModel;
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
import org.junit.jupiter.api.Test;

/** Provider outage with the default fallback chain: openai, then the scripted apology. */
@QuarkusTest
@TestProfile(ChatFallbackGrpcTest.Profile.class)
@WithTestResource(OpenAiStandIn.class)
class ChatFallbackGrpcTest {

  static final String APOLOGY = "Sorry, the assistant is unavailable right now.";

  public static class Profile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "switchboard.model.chat.backend", "openai",
          "switchboard.model.chat.apology", APOLOGY,
          "switchboard.model.chat.circuit-failure-threshold", "2",
          "switchboard.model.chat.circuit-open-for", "10m",
          "switchboard.model.openai.max-retries", "1",
          "switchboard.model.openai.retry-backoff", "10ms");
    }
  }

  private static final String PATH = "/v1/chat/completions";

  @GrpcClient("model")
  ChatModel model;

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

  @Test
  void outageIsAnsweredWithApologyThenTheCircuitStopsCallingTheProvider() {
    var server = OpenAiStandIn.server();
    server.resetAll();
    server.stubFor(
        post(urlEqualTo(PATH))
            .willReturn(aResponse().withStatus(503).withBody("upstream unavailable")));

    for (int i = 0; i < 2; i++) {
      List<GenerateResponse> responses = generate("");
      assertEquals(APOLOGY, ScriptedChatGrpcTest.replyText(responses));
      assertEquals(
          "scripted-apology", responses.get(responses.size() - 1).getCompletion().getBackend());
    }
    // Two failed requests, each tried twice (one retry before the first byte).
    server.verify(4, postRequestedFor(urlEqualTo(PATH)));

    // The breaker is now open: the caller still gets the apology, the provider is left alone.
    assertEquals(APOLOGY, ScriptedChatGrpcTest.replyText(generate("")));
    server.verify(4, postRequestedFor(urlEqualTo(PATH)));

    given()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(
            containsString(
                "switchboard_model_fallbacks_total{backend=\"openai\",capability=\"chat\","
                    + "fallback=\"scripted-apology\"} 3.0"))
        .body(
            containsString(
                "switchboard_model_errors_total{backend=\"openai\",capability=\"chat\","
                    + "kind=\"circuit_open\"} 1.0"))
        .body(
            containsString(
                "switchboard_model_errors_total{backend=\"openai\",capability=\"chat\","
                    + "kind=\"provider_failure\"} 2.0"))
        .body(
            containsString(
                "switchboard_model_circuit_open{backend=\"openai\",capability=\"chat\"} 1.0"));
  }

  @Test
  void unknownModelIsNotHiddenBehindAnApology() {
    var server = OpenAiStandIn.server();
    server.resetAll();
    server.stubFor(
        post(urlEqualTo(PATH))
            .willReturn(
                aResponse()
                    .withStatus(404)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"error\":{\"message\":\"The model `x` does not exist\","
                            + "\"type\":\"invalid_request_error\",\"code\":\"model_not_found\"}}")));

    StatusRuntimeException error =
        org.junit.jupiter.api.Assertions.assertThrows(
            StatusRuntimeException.class, () -> generate("x"));
    assertEquals(Status.Code.NOT_FOUND, error.getStatus().getCode());
  }
}

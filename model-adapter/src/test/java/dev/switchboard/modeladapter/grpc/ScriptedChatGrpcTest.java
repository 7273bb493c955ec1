package dev.switchboard.modeladapter.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.contracts.model.ChatMessage;
import dev.switchboard.contracts.model.ChatModel;
import dev.switchboard.contracts.model.Completion;
import dev.switchboard.contracts.model.ContentPart;
import dev.switchboard.contracts.model.GenerateRequest;
import dev.switchboard.contracts.model.GenerateResponse;
import dev.switchboard.contracts.model.Role;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Calls ChatModel.Generate over a real gRPC connection against the built-in script. */
@QuarkusTest
class ScriptedChatGrpcTest {

  @GrpcClient("model")
  ChatModel model;

  @Test
  void pingIsAnsweredWithExactlyPong() {
    List<GenerateResponse> responses = generate("Ping?");

    assertEquals("pong", replyText(responses));
    Completion completion = responses.get(responses.size() - 1).getCompletion();
    assertEquals("stop", completion.getFinishReason());
    assertEquals("scripted", completion.getBackend());
    assertEquals(1, completion.getUsage().getOutputTokens());
  }

  @Test
  void otherTextGetsTheDefaultReplyStreamedWordByWord() {
    List<GenerateResponse> responses = generate("What is the weather tomorrow?");

    String reply = replyText(responses);
    assertTrue(reply.startsWith("Thanks for your message."), reply);
    long deltas = responses.stream().filter(GenerateResponse::hasDelta).count();
    assertEquals(reply.split(" ").length, deltas, "one delta per word");
    assertTrue(responses.get(responses.size() - 1).hasCompletion(), "completion comes last");
  }

  @Test
  void emptyRequestIsRejectedAsInvalidArgument() {
    StatusRuntimeException error =
        org.junit.jupiter.api.Assertions.assertThrows(
            StatusRuntimeException.class,
            () ->
                model
                    .generate(GenerateRequest.getDefaultInstance())
                    .collect()
                    .asList()
                    .await()
                    .atMost(Duration.ofSeconds(60)));
    assertEquals(Status.Code.INVALID_ARGUMENT, error.getStatus().getCode());
  }

  private List<GenerateResponse> generate(String userText) {
    GenerateRequest request =
        GenerateRequest.newBuilder()
            .addMessages(
                ChatMessage.newBuilder()
                    .setRole(Role.ROLE_SYSTEM)
                    .addContent(ContentPart.newBuilder().setText("Be brief.")))
            .addMessages(
                ChatMessage.newBuilder()
                    .setRole(Role.ROLE_USER)
                    .addContent(ContentPart.newBuilder().setText(userText)))
            .setConversationId("test:1")
            .build();
    return model.generate(request).collect().asList().await().atMost(Duration.ofSeconds(60));
  }

  static String replyText(List<GenerateResponse> responses) {
    return responses.stream()
        .filter(GenerateResponse::hasDelta)
        .map(GenerateResponse::getDelta)
        .collect(Collectors.joining());
  }
}

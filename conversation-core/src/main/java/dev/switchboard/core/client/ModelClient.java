package dev.switchboard.core.client;

import dev.switchboard.contracts.model.ChatMessage;
import dev.switchboard.contracts.model.ChatModel;
import dev.switchboard.contracts.model.ContentPart;
import dev.switchboard.contracts.model.GenerateRequest;
import dev.switchboard.contracts.model.GenerateResponse;
import dev.switchboard.contracts.model.Role;
import dev.switchboard.core.config.CoreConfig;
import dev.switchboard.core.conversation.ModelAnswer;
import dev.switchboard.core.conversation.PromptMessage;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.subscription.Cancellable;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/** Calls {@code ChatModel.Generate} on model-adapter and streams the text deltas back. */
@ApplicationScoped
public class ModelClient {
  private final ChatModel chatModel;
  private final CoreConfig config;

  public ModelClient(@GrpcClient("model") ChatModel chatModel, CoreConfig config) {
    this.chatModel = chatModel;
    this.config = config;
  }

  /**
   * Starts a generation. {@code onDelta} sees every text delta as it arrives (on a gRPC thread);
   * the returned call completes with the whole answer.
   */
  public ModelCall generate(
      String conversationKey, List<PromptMessage> prompt, Consumer<String> onDelta) {
    GenerateRequest.Builder request =
        GenerateRequest.newBuilder()
            .setConversationId(conversationKey)
            .setMaxOutputTokens(config.core().prompt().maxOutputTokens());
    config.core().model().ifPresent(request::setModel);
    for (PromptMessage message : prompt) {
      request.addMessages(
          ChatMessage.newBuilder()
              .setRole(toRole(message.role()))
              .addContent(ContentPart.newBuilder().setText(message.text())));
    }
    CompletableFuture<ModelAnswer> answer = new CompletableFuture<>();
    StringBuilder text = new StringBuilder();
    AtomicReference<GenerateResponse> completion = new AtomicReference<>();
    Cancellable subscription =
        chatModel
            .generate(request.build())
            .subscribe()
            .with(
                response -> {
                  if (response.hasCompletion()) {
                    completion.set(response);
                  } else if (!response.getDelta().isEmpty()) {
                    text.append(response.getDelta());
                    onDelta.accept(response.getDelta());
                  }
                },
                answer::completeExceptionally,
                () -> {
                  GenerateResponse done = completion.get();
                  answer.complete(
                      done == null
                          ? new ModelAnswer(text.toString(), "", 0, 0)
                          : new ModelAnswer(
                              text.toString(),
                              done.getCompletion().getModel(),
                              done.getCompletion().getUsage().getInputTokens(),
                              done.getCompletion().getUsage().getOutputTokens()));
                });
    return new ModelCall() {
      @Override
      public CompletableFuture<ModelAnswer> answer() {
        return answer;
      }

      @Override
      public void cancel() {
        subscription.cancel();
        answer.completeExceptionally(new CancellationException("generation cancelled"));
      }
    };
  }

  private static Role toRole(PromptMessage.Role role) {
    return switch (role) {
      case SYSTEM -> Role.ROLE_SYSTEM;
      case USER -> Role.ROLE_USER;
      case ASSISTANT -> Role.ROLE_ASSISTANT;
    };
  }
}

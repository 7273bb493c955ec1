package dev.switchboard.core.client;

import dev.switchboard.contracts.model.ChatMessage;
import dev.switchboard.contracts.model.ChatModelGrpc;
import dev.switchboard.contracts.model.ContentPart;
import dev.switchboard.contracts.model.GenerateRequest;
import dev.switchboard.contracts.model.GenerateResponse;
import dev.switchboard.contracts.model.Role;
import dev.switchboard.core.config.CoreConfig;
import dev.switchboard.core.conversation.ModelAnswer;
import dev.switchboard.core.conversation.PromptMessage;
import io.grpc.Channel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/** Calls {@code ChatModel.Generate} on model-adapter and streams the text deltas back. */
@ApplicationScoped
public class ModelClient {
  private final Channel channel;
  private final CoreConfig config;

  public ModelClient(@GrpcClient("model") Channel channel, CoreConfig config) {
    // The plain async stub, because cancelling a Mutiny stream does not cancel the gRPC call.
    this.channel = channel;
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
    AtomicReference<ClientCallStreamObserver<GenerateRequest>> callRef = new AtomicReference<>();
    ChatModelGrpc.newStub(channel)
        .generate(
            request.build(),
            new ClientResponseObserver<GenerateRequest, GenerateResponse>() {
              private final StringBuilder text = new StringBuilder();
              private GenerateResponse completion;

              @Override
              public void beforeStart(ClientCallStreamObserver<GenerateRequest> call) {
                callRef.set(call);
              }

              @Override
              public void onNext(GenerateResponse response) {
                if (response.hasCompletion()) {
                  completion = response;
                } else if (!response.getDelta().isEmpty() && !answer.isDone()) {
                  text.append(response.getDelta());
                  onDelta.accept(response.getDelta());
                }
              }

              @Override
              public void onError(Throwable failure) {
                answer.completeExceptionally(failure);
              }

              @Override
              public void onCompleted() {
                answer.complete(
                    completion == null
                        ? new ModelAnswer(text.toString(), "", 0, 0)
                        : new ModelAnswer(
                            text.toString(),
                            completion.getCompletion().getModel(),
                            completion.getCompletion().getUsage().getInputTokens(),
                            completion.getCompletion().getUsage().getOutputTokens()));
              }
            });
    return new ModelCall() {
      @Override
      public CompletableFuture<ModelAnswer> answer() {
        return answer;
      }

      @Override
      public void cancel() {
        // Completing first makes late deltas and the cancellation's own error no-ops.
        answer.completeExceptionally(new CancellationException("generation cancelled"));
        ClientCallStreamObserver<GenerateRequest> call = callRef.get();
        if (call != null) {
          call.cancel("cancelled by conversation-core", null);
        }
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

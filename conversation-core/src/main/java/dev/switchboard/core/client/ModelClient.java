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
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/** Calls {@code ChatModel.Generate} on model-adapter and streams the text deltas back. */
@ApplicationScoped
public class ModelClient {
  private static final int MAX_ATTEMPTS = 2;
  private static final long RETRY_BACKOFF_MS = 100;

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
    start(request.build(), answer, callRef, onDelta, 1);
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

  /**
   * One attempt. A transient failure (UNAVAILABLE, RESOURCE_EXHAUSTED) before the first delta is
   * retried after a short backoff; the caller's deadline still bounds the whole call.
   */
  private void start(
      GenerateRequest request,
      CompletableFuture<ModelAnswer> answer,
      AtomicReference<ClientCallStreamObserver<GenerateRequest>> callRef,
      Consumer<String> onDelta,
      int attempt) {
    if (answer.isDone()) {
      return;
    }
    ChatModelGrpc.newStub(channel)
        // The callbacks below only append, hand chunks to the emitter and complete a future: they
        // never block, so they run on the transport thread instead of hopping to gRPC's executor
        // for every delta.
        .withExecutor(Runnable::run)
        .withDeadlineAfter(
            config.core().modelCall().generationLimit().toMillis(), TimeUnit.MILLISECONDS)
        .generate(
            request,
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
                Status.Code code = Status.fromThrowable(failure).getCode();
                boolean transientFailure =
                    code == Status.Code.UNAVAILABLE || code == Status.Code.RESOURCE_EXHAUSTED;
                if (transientFailure && text.length() == 0 && attempt < MAX_ATTEMPTS) {
                  CompletableFuture.delayedExecutor(
                          RETRY_BACKOFF_MS * attempt, TimeUnit.MILLISECONDS)
                      .execute(() -> start(request, answer, callRef, onDelta, attempt + 1));
                  return;
                }
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
  }

  private static Role toRole(PromptMessage.Role role) {
    return switch (role) {
      case SYSTEM -> Role.ROLE_SYSTEM;
      case USER -> Role.ROLE_USER;
      case ASSISTANT -> Role.ROLE_ASSISTANT;
    };
  }
}

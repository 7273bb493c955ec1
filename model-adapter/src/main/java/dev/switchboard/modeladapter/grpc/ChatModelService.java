package dev.switchboard.modeladapter.grpc;

import dev.switchboard.contracts.model.ChatModel;
import dev.switchboard.contracts.model.GenerateRequest;
import dev.switchboard.contracts.model.GenerateResponse;
import dev.switchboard.modeladapter.chat.ChatBackend;
import dev.switchboard.modeladapter.mapping.ChatMapping;
import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Multi;

/** The gRPC face of chat: maps the contract to the configured chat backend and back. */
@GrpcService
public class ChatModelService implements ChatModel {

  private final ChatBackend chat;

  public ChatModelService(ChatBackend chat) {
    this.chat = chat;
  }

  @Override
  public Multi<GenerateResponse> generate(GenerateRequest request) {
    if (request.getMessagesCount() == 0) {
      return Multi.createFrom()
          .failure(
              Status.INVALID_ARGUMENT
                  .withDescription("a Generate request needs at least one message")
                  .asRuntimeException());
    }
    return chat.generate(ChatMapping.toDomain(request))
        .map(ChatMapping::toProto)
        .onFailure()
        .transform(GrpcErrors::toStatus);
  }
}

package dev.switchboard.modeladapter.mapping;

import dev.switchboard.contracts.model.Completion;
import dev.switchboard.contracts.model.ContentPart;
import dev.switchboard.contracts.model.GenerateRequest;
import dev.switchboard.contracts.model.GenerateResponse;
import dev.switchboard.contracts.model.Usage;
import dev.switchboard.modeladapter.chat.ChatEvent;
import dev.switchboard.modeladapter.chat.ChatMessage;
import dev.switchboard.modeladapter.chat.ChatRequest;
import java.util.ArrayList;
import java.util.List;

/** Converts chat requests and events between the gRPC contract and our domain records. */
public final class ChatMapping {

  private ChatMapping() {}

  public static ChatRequest toDomain(GenerateRequest request) {
    List<ChatMessage> messages = new ArrayList<>(request.getMessagesCount());
    for (var message : request.getMessagesList()) {
      List<ChatMessage.Part> parts = new ArrayList<>(message.getContentCount());
      for (ContentPart part : message.getContentList()) {
        switch (part.getPartCase()) {
          case TEXT -> parts.add(new ChatMessage.Part.Text(part.getText()));
          case IMAGE ->
              parts.add(
                  new ChatMessage.Part.Image(
                      part.getImage().getData().toByteArray(),
                      part.getImage().getMimeType(),
                      part.getImage().getUrl()));
          case PART_NOT_SET -> {
            // An empty part carries nothing to say.
          }
        }
      }
      messages.add(new ChatMessage(role(message.getRole()), parts));
    }
    return new ChatRequest(
        request.getModel(),
        messages,
        request.getMaxOutputTokens(),
        request.getTemperature(),
        request.getConversationId());
  }

  private static ChatMessage.Role role(dev.switchboard.contracts.model.Role role) {
    return switch (role) {
      case ROLE_SYSTEM -> ChatMessage.Role.SYSTEM;
      case ROLE_ASSISTANT -> ChatMessage.Role.ASSISTANT;
      case ROLE_USER, ROLE_UNSPECIFIED, UNRECOGNIZED -> ChatMessage.Role.USER;
    };
  }

  public static GenerateResponse toProto(ChatEvent event) {
    // Java 17 has no pattern switch; ChatEvent is sealed, so these two cases are all there are.
    if (event instanceof ChatEvent.Delta delta) {
      return GenerateResponse.newBuilder().setDelta(delta.text()).build();
    }
    ChatEvent.Completed done = (ChatEvent.Completed) event;
    return GenerateResponse.newBuilder()
        .setCompletion(
            Completion.newBuilder()
                .setFinishReason(done.finishReason())
                .setModel(done.model())
                .setBackend(done.backend())
                .setUsage(
                    Usage.newBuilder()
                        .setInputTokens(done.inputTokens())
                        .setOutputTokens(done.outputTokens())))
        .build();
  }
}

package dev.switchboard.modeladapter.openai;

import dev.switchboard.modeladapter.chat.ChatBackend;
import dev.switchboard.modeladapter.chat.ChatEvent;
import dev.switchboard.modeladapter.chat.ChatMessage;
import dev.switchboard.modeladapter.chat.ChatRequest;
import dev.switchboard.modeladapter.error.ModelFailure;
import dev.switchboard.modeladapter.error.ModelFailure.Kind;
import io.smallrye.mutiny.Multi;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Chat through an OpenAI-compatible {@code POST /chat/completions} with {@code stream: true}: every
 * {@code chat.completion.chunk} with {@code choices[0].delta.content} becomes a delta; the final
 * chunk (requested with {@code stream_options.include_usage}) carries the usage; {@code [DONE]}
 * ends the stream.
 */
public final class OpenAiChatBackend implements ChatBackend {

  public static final String NAME = "openai";

  private final OpenAiHttp http;
  private final String defaultModel;

  public OpenAiChatBackend(OpenAiHttp http, String defaultModel) {
    this.http = http;
    this.defaultModel = defaultModel;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Multi<ChatEvent> generate(ChatRequest request) {
    String model = request.model().isEmpty() ? defaultModel : request.model();
    JsonObject body = requestBody(request, model);
    return Multi.createFrom()
        .deferred(
            () -> {
              StreamState state = new StreamState(model);
              return http.streamEvents("/chat/completions", body)
                  .onItem()
                  .transformToIterable(state::onEvent)
                  .onCompletion()
                  .switchTo(state::finish);
            });
  }

  static JsonObject requestBody(ChatRequest request, String model) {
    JsonArray messages = new JsonArray();
    for (ChatMessage message : request.messages()) {
      messages.add(
          new JsonObject()
              .put("role", message.role().name().toLowerCase(Locale.ROOT))
              .put("content", content(message)));
    }
    JsonObject body =
        new JsonObject()
            .put("model", model)
            .put("messages", messages)
            .put("stream", true)
            .put("stream_options", new JsonObject().put("include_usage", true));
    if (request.maxOutputTokens() > 0) {
      body.put("max_tokens", request.maxOutputTokens());
    }
    if (request.temperature() > 0) {
      body.put("temperature", request.temperature());
    }
    return body;
  }

  /** Plain text stays a string (every compatible server accepts that); images need parts. */
  private static Object content(ChatMessage message) {
    boolean hasImage = message.parts().stream().anyMatch(ChatMessage.Part.Image.class::isInstance);
    if (!hasImage) {
      return message.text();
    }
    JsonArray parts = new JsonArray();
    for (ChatMessage.Part part : message.parts()) {
      if (part instanceof ChatMessage.Part.Text text) {
        parts.add(new JsonObject().put("type", "text").put("text", text.text()));
      } else if (part instanceof ChatMessage.Part.Image image) {
        parts.add(
            new JsonObject()
                .put("type", "image_url")
                .put("image_url", new JsonObject().put("url", imageUrl(image))));
      }
    }
    return parts;
  }

  private static String imageUrl(ChatMessage.Part.Image image) {
    if (!image.url().isEmpty()) {
      return image.url();
    }
    String mime = image.mimeType().isEmpty() ? "image/jpeg" : image.mimeType();
    return "data:" + mime + ";base64," + Base64.getEncoder().encodeToString(image.data());
  }

  /** What one stream has said so far; one instance per subscription. */
  private static final class StreamState {
    private String model;
    private String finishReason = "";
    private int inputTokens;
    private int outputTokens;
    private boolean done;
    private boolean anyOutput;

    StreamState(String model) {
      this.model = model;
    }

    List<ChatEvent> onEvent(String data) {
      if (data.strip().equals("[DONE]")) {
        done = true;
        return List.of();
      }
      JsonObject chunk;
      try {
        chunk = new JsonObject(data);
      } catch (DecodeException e) {
        throw failure("provider sent an unreadable stream event");
      }
      JsonObject error = chunk.getJsonObject("error");
      if (error != null) {
        throw failure("provider reported an error mid-stream: " + error.getString("message", ""));
      }
      model = chunk.getString("model", model);
      JsonObject usage = chunk.getJsonObject("usage");
      if (usage != null) {
        inputTokens = usage.getInteger("prompt_tokens", inputTokens);
        outputTokens = usage.getInteger("completion_tokens", outputTokens);
      }
      JsonArray choices = chunk.getJsonArray("choices");
      if (choices == null || choices.isEmpty()) {
        return List.of();
      }
      JsonObject choice = choices.getJsonObject(0);
      String reason = choice.getString("finish_reason");
      if (reason != null) {
        finishReason = reason;
      }
      JsonObject delta = choice.getJsonObject("delta");
      String content = delta == null ? null : delta.getString("content");
      if (content == null || content.isEmpty()) {
        return List.of();
      }
      anyOutput = true;
      return List.of(new ChatEvent.Delta(content));
    }

    Multi<ChatEvent> finish() {
      if (!done && finishReason.isEmpty()) {
        return Multi.createFrom()
            .failure(failure("the provider's stream ended before it was complete"));
      }
      return Multi.createFrom()
          .item(
              new ChatEvent.Completed(
                  finishReason.isEmpty() ? "stop" : finishReason,
                  inputTokens,
                  outputTokens,
                  model,
                  NAME));
    }

    private ModelFailure failure(String message) {
      return new ModelFailure(Kind.PROVIDER_FAILURE, NAME, message, null, !anyOutput);
    }
  }
}

package dev.switchboard.modeladapter.chat.scripted;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.modeladapter.chat.ChatEvent;
import dev.switchboard.modeladapter.chat.ChatMessage;
import dev.switchboard.modeladapter.chat.ChatRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScriptedChatBackendTest {

  @TempDir Path dir;

  private static ChatRequest ask(String... userTexts) {
    List<ChatMessage> messages =
        java.util.Arrays.stream(userTexts)
            .map(
                text ->
                    new ChatMessage(
                        ChatMessage.Role.USER, List.of(new ChatMessage.Part.Text(text))))
            .toList();
    return new ChatRequest("", messages, 0, 0f, "test");
  }

  private static String reply(ScriptedChatBackend backend, ChatRequest request) {
    return backend
        .generate(request)
        .collect()
        .asList()
        .await()
        .atMost(Duration.ofSeconds(10))
        .stream()
        .filter(ChatEvent.Delta.class::isInstance)
        .map(event -> ((ChatEvent.Delta) event).text())
        .collect(Collectors.joining());
  }

  @Test
  void jsonScriptWithRegexAndContainsRulesAnswersTheLastUserMessage() throws Exception {
    Path file = dir.resolve("script.json");
    Files.writeString(
        file,
        """
        {"rules": [
           {"regex": "\\\\border\\\\s+#?(\\\\d+)", "reply": "Your order is on its way."},
           {"contains": "REFUND", "reply": "Refunds take five days."}],
         "default": "Sorry, I only know about orders.",
         "firstTokenDelayMs": 0, "tokenIntervalMs": 0}
        """);
    ScriptedChatBackend backend = new ScriptedChatBackend(ChatScriptLoader.fromFile(file));

    assertEquals("Your order is on its way.", reply(backend, ask("where is order #123?")));
    assertEquals("Refunds take five days.", reply(backend, ask("order 1", "I want a refund")));
    assertEquals("Sorry, I only know about orders.", reply(backend, ask("hello")));
  }

  @Test
  void builtInScriptAnswersPingWithPong() {
    ScriptedChatBackend backend = new ScriptedChatBackend(ChatScriptLoader.builtIn());

    assertEquals("pong", reply(backend, ask("PING")));
  }

  @Test
  void pacingDelaysTheFirstTokenAndSpacesTheRest() throws Exception {
    Path file = dir.resolve("slow.yaml");
    Files.writeString(
        file, "default: \"one two three\"\nfirstTokenDelayMs: 300\ntokenIntervalMs: 100\n");
    ScriptedChatBackend backend = new ScriptedChatBackend(ChatScriptLoader.fromFile(file));

    long start = System.nanoTime();
    String text = reply(backend, ask("anything"));
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;

    assertEquals("one two three", text);
    assertTrue(elapsedMs >= 300 + 3 * 100, "script pacing was not applied: " + elapsedMs + " ms");
  }

  @Test
  void deltasRejoinToTheExactReplyIncludingOddSpacing() {
    assertEquals(
        List.of("  Hello", "  big", " world! "),
        ScriptedChatBackend.splitKeepingSpaces("  Hello  big world! "));
  }

  @Test
  void brokenScriptIsAClearError() throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, "rules:\n  - contains: x\n    regex: y\n    reply: z\ndefault: d\n");

    IllegalStateException error =
        assertThrows(IllegalStateException.class, () -> ChatScriptLoader.fromFile(file));
    assertTrue(
        error.getMessage().contains("exactly one of 'contains' or 'regex'"), error.getMessage());
  }
}

package dev.switchboard.modeladapter.chat.scripted;

import dev.switchboard.modeladapter.chat.ChatBackend;
import dev.switchboard.modeladapter.chat.ChatEvent;
import dev.switchboard.modeladapter.chat.ChatRequest;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Answers from a {@link ChatScript}, streaming the reply word by word. */
public final class ScriptedChatBackend implements ChatBackend {

  public static final String NAME = "scripted";
  private static final String MODEL = "scripted";
  private static final Pattern WORD = Pattern.compile("\\S+");

  private final ChatScript script;
  private final String name;

  public ScriptedChatBackend(ChatScript script) {
    this(script, NAME);
  }

  /** A scripted backend reporting itself under another name, e.g. "scripted-apology". */
  public ScriptedChatBackend(ChatScript script, String name) {
    this.script = script;
    this.name = name;
  }

  /** A backend that always says {@code apology}: the last link of a fallback chain. */
  public static ScriptedChatBackend apology(String apology) {
    return new ScriptedChatBackend(new ChatScript(List.of(), apology, 0, 0), NAME + "-apology");
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Multi<ChatEvent> generate(ChatRequest request) {
    String reply = script.replyTo(request.lastUserText());
    List<ChatEvent> events = new ArrayList<>();
    List<String> words = splitKeepingSpaces(reply);
    words.forEach(word -> events.add(new ChatEvent.Delta(word)));
    events.add(
        new ChatEvent.Completed("stop", countWords(request), words.size(), modelOf(request), name));
    Multi<ChatEvent> stream = Multi.createFrom().iterable(events);
    if (script.tokenIntervalMs() > 0) {
      Duration interval = Duration.ofMillis(script.tokenIntervalMs());
      stream =
          stream
              .onItem()
              .call(
                  event ->
                      event instanceof ChatEvent.Delta
                          ? Uni.createFrom().voidItem().onItem().delayIt().by(interval)
                          : Uni.createFrom().voidItem());
    }
    if (script.firstTokenDelayMs() > 0) {
      Duration delay = Duration.ofMillis(script.firstTokenDelayMs());
      stream =
          stream
              .onSubscription()
              .call(() -> Uni.createFrom().voidItem().onItem().delayIt().by(delay));
    }
    return stream;
  }

  private static String modelOf(ChatRequest request) {
    return request.model().isEmpty() ? MODEL : request.model();
  }

  /** Splits "Hello big world" into "Hello", " big", " world" so the deltas rejoin exactly. */
  static List<String> splitKeepingSpaces(String text) {
    List<String> words = new ArrayList<>();
    Matcher matcher = WORD.matcher(text);
    int start = 0;
    while (matcher.find()) {
      words.add(text.substring(start, matcher.end()));
      start = matcher.end();
    }
    if (start < text.length()) {
      if (words.isEmpty()) {
        words.add(text.substring(start));
      } else {
        words.set(words.size() - 1, words.get(words.size() - 1) + text.substring(start));
      }
    }
    return words;
  }

  /** A stand-in for prompt tokens: the number of words in every message. */
  private static int countWords(ChatRequest request) {
    int count = 0;
    for (var message : request.messages()) {
      Matcher matcher = WORD.matcher(message.text());
      while (matcher.find()) {
        count++;
      }
    }
    return count;
  }
}

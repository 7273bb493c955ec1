package dev.switchboard.modeladapter.openai;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Incremental parser for {@code text/event-stream} (WHATWG server-sent events), fed with arbitrary
 * byte chunks. Only the {@code data} field matters to us: each event's data lines are joined with
 * "\n" and handed to the consumer when the blank line ending the event arrives. Comments (lines
 * starting with ':') and other fields are ignored.
 *
 * <p>Limits: a single line longer than {@code maxLineBytes} makes {@link #feed} return false and
 * the parser unusable, so a hostile or broken stream cannot grow memory without bound.
 */
public final class SseParser {

  private enum State {
    IN_LINE,
    AFTER_CR
  }

  private final int maxLineBytes;
  private final Consumer<String> onData;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
  private final StringBuilder data = new StringBuilder();
  private boolean hasData;
  private State state = State.IN_LINE;
  private boolean broken;

  public SseParser(int maxLineBytes, Consumer<String> onData) {
    this.maxLineBytes = maxLineBytes;
    this.onData = onData;
  }

  /** Feeds more bytes; returns false once a line exceeded the limit. */
  public boolean feed(byte[] bytes) {
    if (broken) {
      return false;
    }
    for (byte b : bytes) {
      switch (state) {
        case AFTER_CR -> {
          state = State.IN_LINE;
          if (b == '\n') {
            continue; // CRLF: the CR already ended the line
          }
          if (!accept(b)) {
            return false;
          }
        }
        case IN_LINE -> {
          if (!accept(b)) {
            return false;
          }
        }
      }
    }
    return true;
  }

  private boolean accept(byte b) {
    if (b == '\r') {
      endLine();
      state = State.AFTER_CR;
    } else if (b == '\n') {
      endLine();
    } else {
      if (line.size() >= maxLineBytes) {
        broken = true;
        return false;
      }
      line.write(b);
    }
    return true;
  }

  private void endLine() {
    String text = line.toString(StandardCharsets.UTF_8);
    line.reset();
    if (text.isEmpty()) {
      dispatch();
      return;
    }
    if (text.startsWith(":")) {
      return;
    }
    int colon = text.indexOf(':');
    String field = colon < 0 ? text : text.substring(0, colon);
    String value = colon < 0 ? "" : text.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    if (field.equals("data")) {
      if (hasData) {
        data.append('\n');
      }
      data.append(value);
      hasData = true;
    }
  }

  private void dispatch() {
    if (hasData) {
      String payload = data.toString();
      data.setLength(0);
      hasData = false;
      onData.accept(payload);
    }
  }
}

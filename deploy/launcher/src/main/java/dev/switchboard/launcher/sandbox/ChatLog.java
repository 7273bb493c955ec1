package dev.switchboard.launcher.sandbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** What the sandbox shows: every message between sandbox users and the platform, in order. */
final class ChatLog {
  /** Who wrote a line. */
  enum Author {
    USER,
    ASSISTANT
  }

  /** One message. {@code status} follows WhatsApp's ticks: sent, delivered, read. */
  record Line(
      String wamid, String userWaId, Author author, String text, String status, Instant at) {
    Line withStatus(String newStatus) {
      return new Line(wamid, userWaId, author, text, newStatus, at);
    }
  }

  private final List<Line> lines = new ArrayList<>();

  synchronized void add(Line line) {
    lines.add(line);
  }

  synchronized void updateStatus(String wamid, String status) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).wamid().equals(wamid)) {
        lines.set(i, lines.get(i).withStatus(status));
      }
    }
  }

  synchronized List<Line> of(String userWaId) {
    return lines.stream().filter(line -> line.userWaId().equals(userWaId)).toList();
  }

  synchronized List<Line> all() {
    return new ArrayList<>(lines);
  }
}

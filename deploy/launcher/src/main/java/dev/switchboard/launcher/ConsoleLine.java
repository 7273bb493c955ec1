package dev.switchboard.launcher;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Turns one line of a service's output into what a person reads on the terminal. The services run
 * in their production profile and log JSON objects (Quarkus {@code quarkus-logging-json}); those
 * become {@code 12:34:56.789 INFO [d.s.c.TurnService] message}, with the first line of an
 * exception; a message of several lines stays several lines (without trailing blank ones), for the
 * caller to prefix one by one. Anything else (JVM warnings before logging starts, a crash dump)
 * passes unchanged.
 */
final class ConsoleLine {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

  private ConsoleLine() {}

  static String render(String line) {
    if (!line.startsWith("{")) {
      return line;
    }
    JsonNode record;
    try {
      record = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      return line;
    }
    if (record == null || !record.isObject() || !record.has("message")) {
      return line;
    }
    StringBuilder out = new StringBuilder();
    out.append(time(record.path("timestamp").asText()))
        .append(' ')
        .append(String.format("%-5s", record.path("level").asText("?")))
        .append(" [")
        .append(shortLogger(record.path("loggerName").asText("")))
        .append("] ")
        .append(record.path("message").asText().strip());
    JsonNode exception = record.path("exception");
    if (exception.isObject()) {
      out.append(" | ")
          .append(exception.path("exceptionType").asText("exception"))
          .append(": ")
          .append(exception.path("message").asText(""));
    }
    return out.toString();
  }

  /**
   * The local time of day of an ISO-8601 timestamp, or the text itself when it is something else.
   */
  private static String time(String timestamp) {
    try {
      return OffsetDateTime.parse(timestamp).atZoneSameInstant(ZoneId.systemDefault()).format(TIME);
    } catch (DateTimeParseException e) {
      return timestamp;
    }
  }

  /** {@code dev.switchboard.core.TurnService} becomes {@code d.s.c.TurnService}. */
  static String shortLogger(String name) {
    String[] parts = name.split("\\.");
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < parts.length - 1; i++) {
      if (!parts[i].isEmpty()) {
        out.append(parts[i].charAt(0)).append('.');
      }
    }
    return out.append(parts[parts.length - 1]).toString();
  }
}

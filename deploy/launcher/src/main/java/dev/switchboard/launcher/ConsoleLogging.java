package dev.switchboard.launcher;

import java.util.List;
import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Keeps the launcher's own log readable: the broker and database speak only when something is
 * wrong; the services' logs are shown by {@link LogTail}.
 */
final class ConsoleLogging {
  /** Held so the JDK does not collect the configured loggers and forget their levels. */
  private static final List<Logger> QUIETED =
      List.of(
          Logger.getLogger("org.apache.kafka"),
          Logger.getLogger("kafka"),
          Logger.getLogger("state.change.logger"),
          Logger.getLogger("io.zonky"));

  private ConsoleLogging() {}

  static void configure() {
    System.setProperty(
        "java.util.logging.SimpleFormatter.format", "launcher | %4$s %3$s: %5$s%6$s%n");
    LogManager.getLogManager().reset();
    Logger root = Logger.getLogger("");
    ConsoleHandler handler = new ConsoleHandler();
    handler.setFormatter(new SimpleFormatter());
    handler.setLevel(Level.ALL);
    root.addHandler(handler);
    root.setLevel(Level.INFO);
    QUIETED.forEach(logger -> logger.setLevel(Level.WARNING));
  }
}

package dev.switchboard.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Copies a child process's output to its log file as it is (JSON lines from a service's production
 * profile, for tools) and to the console prefixed and readable (see {@link ConsoleLine}).
 */
final class LogPump implements Runnable {
  private final InputStream source;
  private final String prefix;
  private final PrintStream console;
  private final Path logFile;

  LogPump(InputStream source, String name, PrintStream console, Path logFile) {
    this.source = source;
    this.prefix = String.format("%-9s| ", name);
    this.console = console;
    this.logFile = logFile;
  }

  @Override
  public void run() {
    try (BufferedReader reader =
            new BufferedReader(new InputStreamReader(source, StandardCharsets.UTF_8));
        Writer file = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8)) {
      String line;
      while ((line = reader.readLine()) != null) {
        for (String readable : ConsoleLine.render(line).split("\n")) {
          console.println(prefix + readable);
        }
        file.write(line);
        file.write('\n');
        file.flush();
      }
    } catch (IOException e) {
      if (!"Stream closed".equals(e.getMessage())) {
        throw new UncheckedIOException(e);
      }
    }
  }
}

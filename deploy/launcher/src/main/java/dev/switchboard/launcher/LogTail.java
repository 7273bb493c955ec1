package dev.switchboard.launcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.BooleanSupplier;

/**
 * Shows a service's log file on the console as it grows, each line prefixed and readable (see
 * {@link ConsoleLine}). The service writes the file itself (its output is redirected there by the
 * OS), so the file keeps every byte even when the process dies mid-sentence; this only reads it,
 * and after the process has ended it reads on to the end before it stops.
 */
final class LogTail implements Runnable {
  private static final long IDLE_WAIT_MS = 50;

  private final Path logFile;
  private final long startOffset;
  private final String prefix;
  private final PrintStream console;
  private final BooleanSupplier writerAlive;

  /**
   * @param startOffset where this run's output starts (a restarted service appends to its log)
   * @param writerAlive whether the process that writes the file may still write
   */
  LogTail(
      Path logFile,
      long startOffset,
      String name,
      PrintStream console,
      BooleanSupplier writerAlive) {
    this.logFile = logFile;
    this.startOffset = startOffset;
    this.prefix = String.format("%-9s| ", name);
    this.console = console;
    this.writerAlive = writerAlive;
  }

  @Override
  public void run() {
    try (FileChannel file = FileChannel.open(logFile, StandardOpenOption.READ)) {
      file.position(startOffset);
      ByteBuffer chunk = ByteBuffer.allocate(8192);
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      while (true) {
        // Read the liveness first: output written before the process ended is then still read.
        boolean alive = writerAlive.getAsBoolean();
        chunk.clear();
        int read = file.read(chunk);
        if (read > 0) {
          for (int i = 0; i < read; i++) {
            byte b = chunk.get(i);
            if (b == '\n') {
              show(line);
            } else {
              line.write(b);
            }
          }
        } else if (alive) {
          if (!idle()) {
            return;
          }
        } else {
          if (line.size() > 0) {
            show(line);
          }
          return;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void show(ByteArrayOutputStream line) {
    String text = line.toString(StandardCharsets.UTF_8);
    line.reset();
    for (String readable : ConsoleLine.render(text).split("\n")) {
      console.println(prefix + readable);
    }
  }

  /** Waits for more output; false when this thread is told to stop. */
  private static boolean idle() {
    try {
      Thread.sleep(IDLE_WAIT_MS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}

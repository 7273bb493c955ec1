package dev.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTailTest {
  @TempDir Path dir;

  @Test
  void showsLinesAsTheyAreWrittenJoinsSplitWritesAndReadsToTheEndAfterTheWriterDies()
      throws Exception {
    Path log = dir.resolve("core.log");
    Files.writeString(log, "from an earlier run\n");
    long start = Files.size(log);
    AtomicBoolean alive = new AtomicBoolean(true);
    ByteArrayOutputStream shown = new ByteArrayOutputStream();
    PrintStream console = new PrintStream(shown, true, StandardCharsets.UTF_8);
    Thread tail = new Thread(new LogTail(log, start, "core", console, alive::get));
    tail.start();

    append(log, "first line\nsecond ha");
    Thread.sleep(200);
    append(log, "lf of a line\n");
    Thread.sleep(200);
    // The process dies: its last words, even without a final newline, are still shown.
    append(log, "Exception in thread main: boom");
    alive.set(false);
    tail.join(10_000);

    assertFalse(tail.isAlive(), "the tail stops once the writer is gone and the file is read");
    List<String> lines = shown.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals(
        List.of(
            "core     | first line",
            "core     | second half of a line",
            "core     | Exception in thread main: boom"),
        lines);
  }

  private static void append(Path log, String text) throws Exception {
    Files.writeString(log, text, StandardOpenOption.APPEND);
  }
}

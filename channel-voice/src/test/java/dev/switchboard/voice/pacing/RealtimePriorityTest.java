package dev.switchboard.voice.pacing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RealtimePriorityTest {
  private static final Path TASKS = Path.of("/proc/self/task");

  @Test
  void raisesOnlyThePacerThreadWhenPermittedAndOtherwiseSaysWhy() throws Exception {
    try (PacedScheduler scheduler = PacedScheduler.twentyMillis()) {
      scheduler.start();
      awaitThreadNamed("media-pacer");

      RealtimePriority.Result result = RealtimePriority.apply("media-pacer", 10);

      boolean privileged = "root".equals(System.getProperty("user.name"));
      // A @QuarkusTest's node may run its own pacer in this JVM: then the name is ambiguous.
      boolean alone = RealtimePriority.threadsNamed("media-pacer").size() == 1;
      if (!alone) {
        assertEquals(
            new RealtimePriority.Result.NotApplied(
                RealtimePriority.threadsNamed("media-pacer").size() + " threads named media-pacer"),
            result);
      } else if (privileged && Files.isDirectory(Path.of("/proc/self/task"))) {
        RealtimePriority.Result.Applied applied =
            assertInstanceOf(RealtimePriority.Result.Applied.class, result, result.toString());
        assertEquals(
            "1", RealtimePriority.policyOf(applied.threadId()).orElseThrow(), "SCHED_FIFO");
        // Only the pacer: this test's own thread keeps normal scheduling (policy 0).
        Path me = Files.readSymbolicLink(Path.of("/proc/thread-self")); // "<pid>/task/<tid>"
        long myTid = Long.parseLong(me.getFileName().toString());
        assertEquals("0", RealtimePriority.policyOf(myTid).orElseThrow());
        assertTrue(applied.threadId() != myTid);
      } else {
        assertInstanceOf(RealtimePriority.Result.NotApplied.class, result);
      }
    }
  }

  /** The pacer thread starts asynchronously; the kernel knows its name only once it runs. */
  private static void awaitThreadNamed(String name) throws Exception {
    Path tasks = Path.of("/proc/self/task");
    if (!Files.isDirectory(tasks)) {
      return;
    }
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      try (var stream = Files.list(tasks)) {
        boolean found =
            stream.anyMatch(
                task -> {
                  try {
                    return Files.readString(task.resolve("comm")).strip().equals(name);
                  } catch (java.io.IOException e) {
                    return false; // the thread ended while we looked
                  }
                });
        if (found) {
          return;
        }
      }
      Thread.sleep(10);
    }
  }

  @Test
  void aJustStartedPacerIsFoundOnceItRuns() {
    try (PacedScheduler scheduler = PacedScheduler.twentyMillis()) {
      scheduler.start(); // no waiting here: the node raises the pacer right after starting it

      RealtimePriority.Result result =
          RealtimePriority.applyWhenStarted("media-pacer", 10, java.time.Duration.ofSeconds(2));

      if (result instanceof RealtimePriority.Result.NotApplied refused) {
        // Not root, or no chrt: fine, but never because the thread was not found yet.
        assertTrue(
            !refused.reason().startsWith("no thread named") || !Files.isDirectory(TASKS),
            refused.reason());
      }
    }
  }

  @Test
  void unknownThreadsAndBadPrioritiesAreClearResults() {
    assertInstanceOf(
        RealtimePriority.Result.NotApplied.class, RealtimePriority.apply("no-such-thread", 10));
    assertInstanceOf(RealtimePriority.Result.NotApplied.class, RealtimePriority.apply("main", 0));
  }
}

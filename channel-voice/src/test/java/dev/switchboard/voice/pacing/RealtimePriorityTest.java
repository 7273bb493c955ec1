package dev.switchboard.voice.pacing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RealtimePriorityTest {

  @Test
  void raisesOnlyThePacerThreadWhenPermittedAndOtherwiseSaysWhy() throws Exception {
    try (PacedScheduler scheduler = PacedScheduler.twentyMillis()) {
      scheduler.start();

      RealtimePriority.Result result = RealtimePriority.apply("media-pacer", 10);

      boolean privileged = "root".equals(System.getProperty("user.name"));
      if (privileged && Files.isDirectory(Path.of("/proc/self/task"))) {
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

  @Test
  void unknownThreadsAndBadPrioritiesAreClearResults() {
    assertInstanceOf(
        RealtimePriority.Result.NotApplied.class, RealtimePriority.apply("no-such-thread", 10));
    assertInstanceOf(RealtimePriority.Result.NotApplied.class, RealtimePriority.apply("main", 0));
  }
}

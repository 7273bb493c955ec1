package dev.switchboard.voice.pacing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Opt-in: gives the pacer thread Linux real-time scheduling (SCHED_FIFO) so it never waits in the
 * CPU run queue behind other work; on a busy machine that is the difference between 0.3 ms and
 * 15-100 ms send jitter p99 (see BENCHMARKS.md, "Voice media"). Java cannot set this itself, so it
 * finds the thread's kernel id by name in {@code /proc/self/task} and runs {@code chrt -f -p
 * <priority> <tid>} (util-linux). Needs root or CAP_SYS_NICE; without it the result says so and
 * nothing changes. Only the one pacer thread is raised, never the whole JVM.
 */
public final class RealtimePriority {

  /** What happened. */
  public sealed interface Result {
    /** The thread now runs SCHED_FIFO at the priority. */
    record Applied(long threadId, int priority) implements Result {}

    /** Not possible here; {@code reason} says why (not Linux, no such thread, not permitted…). */
    record NotApplied(String reason) implements Result {}
  }

  private static final Path TASKS = Path.of("/proc/self/task");

  private RealtimePriority() {}

  /**
   * Raises the thread named {@code threadName} (15 characters at most, as the kernel keeps them) to
   * SCHED_FIFO {@code priority} (1..99; 10 is plenty above normal work and below kernel threads).
   */
  public static Result apply(String threadName, int priority) {
    if (priority < 1 || priority > 99) {
      return new Result.NotApplied("priority must be 1..99");
    }
    if (!Files.isDirectory(TASKS)) {
      return new Result.NotApplied("no /proc/self/task (not Linux)");
    }
    List<Long> named = threadsNamed(threadName);
    if (named.isEmpty()) {
      return new Result.NotApplied("no thread named " + threadName);
    }
    if (named.size() > 1) {
      // Ambiguous: raise nothing rather than the wrong thread.
      return new Result.NotApplied(named.size() + " threads named " + threadName);
    }
    Optional<Long> tid = Optional.of(named.get(0));
    try {
      Process chrt =
          new ProcessBuilder(
                  List.of("chrt", "-f", "-p", Integer.toString(priority), tid.get().toString()))
              .redirectErrorStream(true)
              .start();
      if (!chrt.waitFor(5, TimeUnit.SECONDS)) {
        chrt.destroyForcibly();
        return new Result.NotApplied("chrt did not finish");
      }
      String output = new String(chrt.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (chrt.exitValue() != 0) {
        return new Result.NotApplied("chrt failed: " + output.strip());
      }
      return new Result.Applied(tid.get(), priority);
    } catch (IOException e) {
      return new Result.NotApplied("cannot run chrt: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result.NotApplied("interrupted");
    }
  }

  /**
   * Like {@link #apply}, for a thread that was just started: the kernel knows a Java thread's name
   * only once the thread runs, so this waits up to {@code wait} for the name to appear first.
   */
  public static Result applyWhenStarted(String threadName, int priority, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (Files.isDirectory(TASKS)
        && threadsNamed(threadName).isEmpty()
        && System.nanoTime() < deadline) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new Result.NotApplied("interrupted");
      }
    }
    return apply(threadName, priority);
  }

  /** The scheduling policy line of a thread as the kernel reports it, for checks and logs. */
  public static Optional<String> policyOf(long tid) {
    try {
      for (String line : Files.readAllLines(TASKS.resolve(Long.toString(tid)).resolve("sched"))) {
        if (line.startsWith("policy")) {
          return Optional.of(line.substring(line.indexOf(':') + 1).strip());
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  /** The kernel thread ids of the threads with this name. */
  static List<Long> threadsNamed(String threadName) {
    List<Long> found = new java.util.ArrayList<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
      for (Path task : tasks) {
        String comm;
        try {
          comm = Files.readString(task.resolve("comm")).strip();
        } catch (IOException e) {
          continue; // the thread ended while we looked
        }
        if (comm.equals(threadName)) {
          found.add(Long.parseLong(task.getFileName().toString()));
        }
      }
    } catch (IOException e) {
      return List.of();
    }
    return found;
  }
}

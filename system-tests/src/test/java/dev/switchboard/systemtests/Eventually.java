package dev.switchboard.systemtests;

import java.time.Duration;
import java.util.function.Supplier;

/** Waits for something the platform does asynchronously, failing with a clear message. */
final class Eventually {
  private Eventually() {}

  static <T> T await(
      String what, Duration timeout, Supplier<T> probe, java.util.function.Predicate<T> done)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    T last = probe.get();
    while (!done.test(last)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "Timed out after "
                + timeout.toSeconds()
                + " s waiting for "
                + what
                + "; last: "
                + last);
      }
      Thread.sleep(100);
      last = probe.get();
    }
    return last;
  }
}

package dev.switchboard.whatsapp.reply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PacerTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final Pacer pacer = new Pacer(80, 3, Duration.ofSeconds(6), now::get);

  @Test
  void aPersonGetsABurstThenOneMessagePerInterval() {
    assertEquals(0, pacer.reserve("n1", "alice"));
    assertEquals(0, pacer.reserve("n1", "alice"));
    assertEquals(0, pacer.reserve("n1", "alice"));
    long fourth = pacer.reserve("n1", "alice");
    assertTrue(
        fourth > TimeUnit.SECONDS.toNanos(5) && fourth <= TimeUnit.SECONDS.toNanos(6),
        "the fourth message waits about one interval, waited " + fourth);
    long fifth = pacer.reserve("n1", "alice");
    assertTrue(fifth > TimeUnit.SECONDS.toNanos(11), "and the fifth about two: " + fifth);
  }

  @Test
  void anotherPersonIsNotHeldUpByTheFirst() {
    for (int i = 0; i < 5; i++) {
      pacer.reserve("n1", "alice");
    }
    assertEquals(0, pacer.reserve("n1", "bob"));
  }

  @Test
  void theNumberAllowsEightyPerSecondAcrossPeople() {
    long waited = 0;
    for (int i = 0; i < 80; i++) {
      waited = Math.max(waited, pacer.reserve("n1", "person-" + i));
    }
    assertEquals(0, waited, "the first 80 in a second go at once");
    long eightyFirst = pacer.reserve("n1", "person-80");
    assertTrue(
        eightyFirst > 0 && eightyFirst <= TimeUnit.MILLISECONDS.toNanos(13), "" + eightyFirst);
    assertEquals(0, pacer.reserve("n2", "person-81"), "another number has its own budget");
  }

  @Test
  void budgetsRefillWithTime() {
    for (int i = 0; i < 3; i++) {
      pacer.reserve("n1", "carol");
    }
    now.addAndGet(TimeUnit.SECONDS.toNanos(60));
    assertEquals(0, pacer.reserve("n1", "carol"));
  }

  @Test
  void backoffGrowsWithJitterAndStaysBounded() {
    Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10));
    for (int retry = 0; retry < 40; retry++) {
      long ceiling = Math.min(10_000, 200L << Math.min(retry, 20));
      long delay = backoff.delayMillis(retry);
      assertTrue(delay >= ceiling / 2 && delay <= ceiling, "retry " + retry + ": " + delay);
    }
  }
}

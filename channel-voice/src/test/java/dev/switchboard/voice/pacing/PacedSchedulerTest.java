package dev.switchboard.voice.pacing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PacedSchedulerTest {

  private static final long MS = 1_000_000L;
  private final AtomicLong now = new AtomicLong(1_000 * MS);
  private final PacedScheduler scheduler = new PacedScheduler(20, 20, now::get);

  private record Tick(long scheduled, long actual) {}

  private List<Tick> recordTicks(List<List<Tick>> all) {
    List<Tick> ticks = new ArrayList<>();
    all.add(ticks);
    scheduler.register((scheduled, actual) -> ticks.add(new Tick(scheduled, actual)));
    return ticks;
  }

  private void advanceAndRun(long millis, long stepMillis) {
    for (long t = 0; t < millis; t += stepMillis) {
      now.addAndGet(stepMillis * MS);
      scheduler.runDue();
    }
  }

  @Test
  void everyStreamIsCalledEvery20MsOnItsOwnGridSpreadOverSlots() {
    List<List<Tick>> all = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      recordTicks(all);
    }
    scheduler.runDue();
    advanceAndRun(1000, 1);

    Set<Long> phases = new HashSet<>();
    for (List<Tick> ticks : all) {
      assertEquals(50, ticks.size(), 1.0, "one tick per 20 ms for 1 s");
      for (int i = 1; i < ticks.size(); i++) {
        assertEquals(20 * MS, ticks.get(i).scheduled() - ticks.get(i - 1).scheduled());
      }
      phases.add(ticks.get(0).scheduled() % (20 * MS));
    }
    assertEquals(20, phases.size(), "40 streams use all 20 one-millisecond slots");
    assertEquals(
        0, scheduler.sendJitter().percentileMicros(1.0), 10.0, "virtual clock: no lateness");
    assertEquals(40, scheduler.activeStreams());
  }

  private PacedScheduler.Registration runOneStreamFor100Ms(List<Tick> ticks) {
    PacedScheduler.Registration registration =
        scheduler.register((scheduled, actual) -> ticks.add(new Tick(scheduled, actual)));
    scheduler.runDue();
    advanceAndRun(100, 1);
    return registration;
  }

  @Test
  void anExpeditedStreamRunsAtTheNextSubTickThenKeepsThatPhase() {
    List<Tick> ticks = new ArrayList<>();
    PacedScheduler.Registration registration = runOneStreamFor100Ms(ticks);
    long lastRegular = ticks.get(ticks.size() - 1).scheduled();
    // 5 ms after its last tick: without expediting it would wait 15 ms more.
    now.set(lastRegular + 5 * MS);
    scheduler.runDue();
    int before = ticks.size();
    registration.expedite();
    advanceAndRun(1, 1);

    assertEquals(before + 1, ticks.size(), "ran within one sub-tick");
    long moved = ticks.get(before).scheduled();
    assertTrue(moved - lastRegular < 20 * MS, "earlier than its old slot");
    advanceAndRun(100, 1);
    for (int i = before + 1; i < ticks.size(); i++) {
      assertEquals(20 * MS, ticks.get(i).scheduled() - ticks.get(i - 1).scheduled());
    }
    assertEquals(1, scheduler.phaseMoves());
    assertEquals(1, scheduler.activeStreams());
  }

  @Test
  void expeditingAStreamWhoseSlotIsDueAnywayChangesNothing() {
    List<Tick> ticks = new ArrayList<>();
    PacedScheduler.Registration registration = runOneStreamFor100Ms(ticks);
    long lastRegular = ticks.get(ticks.size() - 1).scheduled();
    now.set(lastRegular + 19 * MS); // its slot is the next sub-tick
    scheduler.runDue();
    registration.expedite();
    advanceAndRun(100, 1);

    for (int i = 1; i < ticks.size(); i++) {
      assertEquals(20 * MS, ticks.get(i).scheduled() - ticks.get(i - 1).scheduled());
    }
    assertEquals(0, scheduler.phaseMoves());
  }

  @Test
  void aLateThreadCatchesUpInOrderAndTheLatenessIsMeasured() {
    List<List<Tick>> all = new ArrayList<>();
    List<Tick> ticks = recordTicks(all);
    scheduler.runDue();
    advanceAndRun(100, 1);
    int before = ticks.size();

    now.addAndGet(45 * MS); // the thread was descheduled for 45 ms
    scheduler.runDue();

    assertEquals(before + 2, ticks.size(), "the two missed ticks run at once");
    Tick last = ticks.get(ticks.size() - 1);
    assertEquals(now.get(), last.actual());
    assertTrue(scheduler.sendJitter().maxMicros() >= 20_000, "lateness recorded");
    assertEquals(0, scheduler.overruns());
    // The grid is unchanged: no drift after the hiccup.
    assertEquals(
        0, (ticks.get(ticks.size() - 1).scheduled() - ticks.get(0).scheduled()) % (20 * MS));
  }

  @Test
  void fallingFarBehindSkipsAheadInsteadOfBursting() {
    List<List<Tick>> all = new ArrayList<>();
    List<Tick> ticks = recordTicks(all);
    scheduler.runDue();
    advanceAndRun(40, 1);
    int before = ticks.size();

    now.addAndGet(1_000 * MS);
    scheduler.runDue();

    assertEquals(1, scheduler.overruns());
    assertTrue(ticks.size() - before <= 1, "no burst of 50 packets");
    advanceAndRun(100, 1);
    assertEquals(
        0,
        (ticks.get(ticks.size() - 1).scheduled() - ticks.get(0).scheduled()) % (20 * MS),
        "same phase");
  }

  @Test
  void cancelledStreamsStopAndAThrowingStreamDoesNotStopTheOthers() {
    AtomicInteger cancelledCalls = new AtomicInteger();
    AtomicInteger healthyCalls = new AtomicInteger();
    PacedScheduler.Registration toCancel =
        scheduler.register((s, a) -> cancelledCalls.incrementAndGet());
    scheduler.register(
        (s, a) -> {
          throw new IllegalStateException("broken call");
        });
    scheduler.register((s, a) -> healthyCalls.incrementAndGet());
    scheduler.runDue();
    advanceAndRun(100, 1);
    toCancel.cancel();
    int atCancel = cancelledCalls.get();
    advanceAndRun(100, 1);

    assertEquals(atCancel, cancelledCalls.get());
    assertEquals(10, healthyCalls.get(), 1.0);
    assertTrue(scheduler.failures() >= 9);
    assertEquals(2, scheduler.activeStreams());
  }

  @Test
  void theRealTimerThreadPacesStreamsAndStopsOnClose() throws InterruptedException {
    PacedScheduler real = PacedScheduler.twentyMillis();
    CountDownLatch tenTicksEach = new CountDownLatch(30);
    AtomicInteger[] counts = new AtomicInteger[30];
    for (int i = 0; i < counts.length; i++) {
      AtomicInteger count = counts[i] = new AtomicInteger();
      real.register(
          (s, a) -> {
            if (count.incrementAndGet() == 10) {
              tenTicksEach.countDown();
            }
          });
    }
    real.start();
    assertTrue(tenTicksEach.await(10, TimeUnit.SECONDS), "every stream ticked 10 times");
    real.close();
    assertFalse(real.isRunning());
    int[] snapshot = java.util.Arrays.stream(counts).mapToInt(AtomicInteger::get).toArray();
    Thread.sleep(60);
    assertEquals(
        java.util.Arrays.toString(snapshot),
        java.util.Arrays.toString(
            java.util.Arrays.stream(counts).mapToInt(AtomicInteger::get).toArray()),
        "no ticks after close");
    int min = java.util.Arrays.stream(snapshot).min().orElseThrow();
    int max = java.util.Arrays.stream(snapshot).max().orElseThrow();
    assertTrue(max - min <= 1, "streams are paced evenly: " + min + ".." + max);
    assertTrue(real.sendJitter().count() >= 300);
  }

  @Test
  void workHandedOffDuringAPassReachesThePoolAsOneTaskWhenThePassEnds() throws Exception {
    List<Runnable> poolTasks = new ArrayList<>();
    TickHandOff handOff = scheduler.handOff(poolTasks::add);
    List<Integer> ran = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      int stream = i;
      scheduler.register((scheduled, actual) -> handOff.execute(() -> ran.add(stream)));
    }
    scheduler.runDue(); // sub-tick 0: the first stream
    assertEquals(1, poolTasks.size());
    assertTrue(ran.isEmpty(), "nothing ran on the pacer thread");
    poolTasks.get(0).run();
    assertEquals(List.of(0), ran);

    // Sub-ticks 1 and 2 (one stream each) run in one pass: one task for both.
    now.addAndGet(2 * MS);
    scheduler.runDue();
    assertEquals(2, poolTasks.size(), "one task for the whole pass");
    assertEquals(List.of(0), ran);
    poolTasks.get(1).run();
    assertEquals(List.of(0, 1, 2), ran, "in the order the streams handed them off");

    Thread other = new Thread(() -> handOff.execute(() -> ran.add(99)));
    other.start();
    other.join();
    assertEquals(3, poolTasks.size(), "another thread's task goes to the pool at once");
    poolTasks.get(2).run();
    assertEquals(List.of(0, 1, 2, 99), ran);
  }

  @Test
  void aFailingHandedOffTaskIsCountedAndTheRestOfItsBatchStillRuns() {
    List<Runnable> poolTasks = new ArrayList<>();
    TickHandOff handOff = scheduler.handOff(poolTasks::add);
    AtomicInteger ran = new AtomicInteger();
    scheduler.register(
        (scheduled, actual) -> {
          handOff.execute(
              () -> {
                throw new IllegalStateException("broken call");
              });
          handOff.execute(ran::incrementAndGet);
        });
    scheduler.runDue();
    now.addAndGet(MS);
    scheduler.runDue();

    poolTasks.forEach(Runnable::run);
    assertEquals(1, ran.get());
    assertEquals(1, handOff.failures());
  }
}

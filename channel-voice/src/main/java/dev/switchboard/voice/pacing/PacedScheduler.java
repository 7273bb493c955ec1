package dev.switchboard.voice.pacing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One timer thread that paces the media of every call: each registered stream is called every
 * {@code frameMillis} on its own fixed grid, with no thread per call.
 *
 * <p>The frame interval is split into {@code slots} sub-ticks (20 x 1 ms by default) and each new
 * stream joins the least loaded slot, so 200 calls do not all send in the same instant. The grid is
 * absolute (start + n x interval), so lateness never accumulates into drift. If the thread falls
 * behind (GC, a starved CPU), the missed ticks run at once in order, which keeps RTP timestamps and
 * wall clock aligned; if it falls more than {@value #MAX_CATCH_UP_FRAMES} frames behind, it skips
 * ahead instead and counts an overrun.
 *
 * <p>Lateness of every send is recorded in {@link #sendJitter()}. {@link #runDue(long)} does one
 * pass of the loop and is what unit tests drive with a virtual clock; {@link #start()} runs it on a
 * daemon thread with the real one.
 */
public final class PacedScheduler implements AutoCloseable {

  /** Beyond this many frames behind, the scheduler skips ahead rather than bursting. */
  static final int MAX_CATCH_UP_FRAMES = 5;

  /** An expedited stream whose slot comes within this many sub-ticks stays where it is. */
  static final int EXPEDITE_WITHIN_SUBTICKS = 2;

  private final long frameNanos;
  private final int slots;
  private final long slotNanos;
  private final List<List<Entry>> streamsBySlot = new ArrayList<>();
  private final ConcurrentLinkedQueue<Entry> added = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Entry> removed = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Entry> expedited = new ConcurrentLinkedQueue<>();
  private final List<TickHandOff> handOffs = new CopyOnWriteArrayList<>();
  private final AtomicLong phaseMoves = new AtomicLong();
  private final SendJitterHistogram jitter = new SendJitterHistogram();
  private final AtomicLong overruns = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final java.util.function.LongSupplier clock;
  private final java.util.concurrent.atomic.AtomicIntegerArray slotLoad;
  private long originNanos = Long.MIN_VALUE;
  private long nextSubTick; // index of the next sub-tick to run, counted from the origin
  private volatile boolean running;
  private volatile Thread thread;

  /** A stream's place on the timer; cancel it when the call ends. */
  public final class Registration {
    private final Entry entry;

    private Registration(Entry entry) {
      this.entry = entry;
    }

    /** Stops calling the stream (takes effect by the next tick). */
    public void cancel() {
      synchronized (entry) {
        if (!entry.cancelled) {
          entry.cancelled = true;
          slotLoad.decrementAndGet(entry.slot);
          removed.add(entry);
        }
      }
    }

    /**
     * The stream has something to say after a silence: move it to the next sub-tick instead of
     * letting it wait up to a whole frame for its slot. From then on it runs every frame on that
     * new phase. The first packet of the talkspurt then leaves less than a frame after the last
     * silent one, which the marker bit announces (RFC 3551 §4.1); a receiver's jitter buffer takes
     * an early packet in its stride. Thread-safe; a no-op when the slot is due within {@value
     * #EXPEDITE_WITHIN_SUBTICKS} sub-ticks anyway.
     */
    public void expedite() {
      expedited.add(entry);
      Thread pacer = thread;
      if (pacer != null) {
        LockSupport.unpark(pacer);
      }
    }

    /** The sub-tick slot the stream sends in. */
    public int slot() {
      return entry.slot;
    }
  }

  private static final class Entry {
    final PacedStream stream;
    volatile int slot;
    volatile boolean cancelled;

    Entry(PacedStream stream, int slot) {
      this.stream = stream;
      this.slot = slot;
    }
  }

  /**
   * @param frameMillis the send interval (20 for our G.711 packetization)
   * @param slots sub-ticks per interval over which streams are spread
   * @param clock monotonic nanoseconds ({@code System::nanoTime}; a virtual clock in tests)
   */
  public PacedScheduler(int frameMillis, int slots, java.util.function.LongSupplier clock) {
    if (frameMillis <= 0 || slots <= 0 || (frameMillis * 1_000_000L) % slots != 0) {
      throw new IllegalArgumentException("bad pacing " + frameMillis + " ms / " + slots);
    }
    this.frameNanos = frameMillis * 1_000_000L;
    this.slots = slots;
    this.slotNanos = frameNanos / slots;
    this.clock = clock;
    this.slotLoad = new java.util.concurrent.atomic.AtomicIntegerArray(slots);
    for (int i = 0; i < slots; i++) {
      streamsBySlot.add(new ArrayList<>());
    }
  }

  /** 20 ms frames over 20 slots of 1 ms. */
  public static PacedScheduler twentyMillis() {
    return new PacedScheduler(20, 20, System::nanoTime);
  }

  /**
   * An executor for work the streams hand off while the scheduler calls them: what they submit
   * during one pass reaches {@code pool} as one task at the end of the pass (see {@link
   * TickHandOff}); what other threads submit goes to {@code pool} at once.
   */
  public TickHandOff handOff(Executor pool) {
    TickHandOff handOff = new TickHandOff(pool);
    handOffs.add(handOff);
    return handOff;
  }

  /** Adds a stream; it first runs at the next sub-tick of its slot. Thread-safe, non-blocking. */
  public Registration register(PacedStream stream) {
    int best = 0;
    for (int i = 1; i < slots; i++) {
      if (slotLoad.get(i) < slotLoad.get(best)) {
        best = i;
      }
    }
    slotLoad.incrementAndGet(best);
    Entry entry = new Entry(stream, best);
    added.add(entry);
    return new Registration(entry);
  }

  /**
   * Runs every sub-tick due now: applies registrations, calls the streams of each due slot with
   * their scheduled time, records lateness. Called only by the timer thread (or a test).
   *
   * @return the time the next sub-tick is due
   */
  public long runDue() {
    long nowNanos = clock.getAsLong();
    if (originNanos == Long.MIN_VALUE) {
      originNanos = nowNanos;
    }
    applyChanges();
    for (TickHandOff handOff : handOffs) {
      handOff.gatherOnCurrentThread();
    }
    long due = originNanos + nextSubTick * slotNanos;
    if (nowNanos - due > MAX_CATCH_UP_FRAMES * frameNanos) {
      overruns.incrementAndGet();
      long behind = (nowNanos - due) / slotNanos;
      nextSubTick += behind; // skip whole sub-ticks; streams keep their slot phase
      due = originNanos + nextSubTick * slotNanos;
    }
    while (due <= nowNanos) {
      int slot = (int) (nextSubTick % slots);
      for (Entry entry : streamsBySlot.get(slot)) {
        if (entry.cancelled) {
          continue;
        }
        long now = clock.getAsLong();
        try {
          entry.stream.onTick(due, now);
        } catch (RuntimeException e) {
          failures.incrementAndGet(); // one broken call must not stop the others' audio
        }
        jitter.record(now - due);
      }
      nextSubTick++;
      due = originNanos + nextSubTick * slotNanos;
    }
    for (TickHandOff handOff : handOffs) {
      handOff.flush();
    }
    return nextBusySubTick(due);
  }

  /** Starts the timer thread. */
  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    thread = new Thread(this::loop, "media-pacer");
    thread.setDaemon(true);
    thread.setPriority(Thread.MAX_PRIORITY);
    thread.start();
  }

  /** Stops the timer thread and waits for it. */
  @Override
  public void close() {
    Thread toJoin;
    synchronized (this) {
      running = false;
      toJoin = thread;
      thread = null;
    }
    if (toJoin != null) {
      LockSupport.unpark(toJoin);
      try {
        toJoin.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Lateness of every send so far. */
  public SendJitterHistogram sendJitter() {
    return jitter;
  }

  /** Times the thread fell so far behind that it skipped ahead. */
  public long overruns() {
    return overruns.get();
  }

  /** Streams moved to an earlier phase to start speaking sooner. */
  public long phaseMoves() {
    return phaseMoves.get();
  }

  /** Stream callbacks that threw. */
  public long failures() {
    return failures.get();
  }

  /** Streams currently registered. */
  public int activeStreams() {
    int count = 0;
    for (int i = 0; i < slots; i++) {
      count += slotLoad.get(i);
    }
    return count;
  }

  /** Whether the timer thread is running. */
  public boolean isRunning() {
    Thread current = thread;
    return running && current != null && current.isAlive();
  }

  private void loop() {
    while (running) {
      long next = runDue();
      long wait = next - clock.getAsLong();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
    }
  }

  /**
   * When the next sub-tick is due, skipping slots without streams so that a lightly loaded node
   * does not wake every millisecond. Streams registered meanwhile are picked up at the next
   * wake-up, within one frame.
   */
  private long nextBusySubTick(long due) {
    if (!added.isEmpty() || !expedited.isEmpty()) {
      return due;
    }
    for (int ahead = 0; ahead < slots; ahead++) {
      if (!streamsBySlot.get((int) ((nextSubTick + ahead) % slots)).isEmpty()) {
        return due + ahead * slotNanos;
      }
    }
    return due + (slots - 1) * slotNanos;
  }

  private void applyChanges() {
    for (Entry entry = added.poll(); entry != null; entry = added.poll()) {
      if (!entry.cancelled) {
        streamsBySlot.get(entry.slot).add(entry);
      }
    }
    for (Entry entry = removed.poll(); entry != null; entry = removed.poll()) {
      streamsBySlot.get(entry.slot).remove(entry);
    }
    int nextSlot = (int) (nextSubTick % slots);
    for (Entry entry = expedited.poll(); entry != null; entry = expedited.poll()) {
      synchronized (entry) {
        int wait = Math.floorMod(entry.slot - nextSlot, slots);
        if (entry.cancelled || wait < EXPEDITE_WITHIN_SUBTICKS) {
          continue;
        }
        streamsBySlot.get(entry.slot).remove(entry);
        slotLoad.decrementAndGet(entry.slot);
        entry.slot = nextSlot;
        slotLoad.incrementAndGet(nextSlot);
        streamsBySlot.get(nextSlot).add(entry);
        phaseMoves.incrementAndGet();
      }
    }
  }
}

package dev.switchboard.voice.jitter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;

class JitterBufferTest {

  private static final long MS = 1_000_000L;
  private static final int FRAME = 20;

  /**
   * Drives a buffer with a virtual clock: packet k is sent at k*20 ms and arrives after {@code
   * delayMillis(k)} (negative = never); the playout clock ticks every 20 ms at a 7 ms phase.
   */
  private static final class Simulation {
    final JitterBuffer buffer = new JitterBuffer(JitterBufferConfig.defaults());
    final List<Playout> playouts = new ArrayList<>();
    final List<OfferResult> offers = new ArrayList<>();
    final List<Integer> targets = new ArrayList<>();

    Simulation run(int packets, int firstSequence, LongUnaryOperator delayMillis, int ticks) {
      record Arrival(long atNanos, int k) {}
      List<Arrival> arrivals = new ArrayList<>();
      for (int k = 0; k < packets; k++) {
        long delay = delayMillis.applyAsLong(k);
        if (delay >= 0) {
          arrivals.add(new Arrival(k * FRAME * MS + delay * MS, k));
        }
      }
      arrivals.sort((a, b) -> Long.compare(a.atNanos, b.atNanos));
      int next = 0;
      for (int tick = 0; tick < ticks; tick++) {
        long now = tick * FRAME * MS + 7 * MS;
        while (next < arrivals.size() && arrivals.get(next).atNanos <= now) {
          Arrival a = arrivals.get(next++);
          int seq = (firstSequence + a.k) & 0xFFFF;
          offers.add(
              buffer.offer(seq, a.k * 160L, new byte[] {(byte) a.k, (byte) (a.k >> 8)}, a.atNanos));
        }
        playouts.add(buffer.poll());
        targets.add(buffer.targetDelayMillis());
      }
      return this;
    }

    /** The packet numbers k played, with -1 for a concealed frame; buffering ticks left out. */
    List<Integer> playedSequence() {
      List<Integer> out = new ArrayList<>();
      for (Playout p : playouts) {
        if (p instanceof Playout.Frame f) {
          out.add((f.payload()[0] & 0xFF) | ((f.payload()[1] & 0xFF) << 8));
        } else if (p instanceof Playout.Lost) {
          out.add(-1);
        }
      }
      return out;
    }
  }

  private static List<Integer> range(int from, int to) {
    List<Integer> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add(i);
    }
    return out;
  }

  @Test
  void steadyStreamPlaysEveryFrameInOrderAfterTheInitialDelay() {
    Simulation sim = new Simulation().run(100, 1000, k -> 5, 110);

    assertEquals(range(0, 100), sim.playedSequence().subList(0, 100));
    long buffering = sim.playouts.stream().takeWhile(p -> p instanceof Playout.Buffering).count();
    assertEquals(2, buffering, "starts once 60 ms (three frames) of audio are held");
    assertEquals(0, sim.buffer.stats().concealed());
  }

  @Test
  void reorderedPacketsArePlayedInSequenceWithoutConcealment() {
    // Every pair swaps: packet 2n arrives 25 ms late, after packet 2n+1.
    Simulation sim = new Simulation().run(200, 0, k -> k % 2 == 0 ? 25 : 2, 210);

    assertEquals(range(0, 200), sim.playedSequence().subList(0, 200));
    assertEquals(0, sim.buffer.stats().concealed());
    assertEquals(0, sim.buffer.stats().late());
  }

  @Test
  void duplicatesArePlayedOnceAndCounted() {
    JitterBuffer buffer = new JitterBuffer(JitterBufferConfig.defaults());
    for (int k = 0; k < 5; k++) {
      assertEquals(
          OfferResult.ACCEPTED, buffer.offer(k, k * 160L, new byte[] {(byte) k}, k * 20 * MS));
      assertEquals(
          OfferResult.DUPLICATE,
          buffer.offer(k, k * 160L, new byte[] {(byte) k}, k * 20 * MS + MS));
    }
    List<Integer> played = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      if (buffer.poll() instanceof Playout.Frame f) {
        played.add((int) f.payload()[0]);
      }
    }
    assertEquals(List.of(0, 1, 2, 3, 4), played);
    // A copy arriving after its frame was played is a duplicate, not a late packet.
    assertEquals(OfferResult.DUPLICATE, buffer.offer(1, 160, new byte[] {1}, 200 * MS));
    assertEquals(6, buffer.stats().duplicates());
    assertEquals(0, buffer.stats().late());
  }

  @Test
  void lostPacketsAreConcealedInTheirOwnSlots() {
    Simulation sim = new Simulation().run(100, 0, k -> k == 10 || k == 50 || k == 51 ? -1 : 3, 110);

    List<Integer> expected = range(0, 100);
    expected.set(10, -1);
    expected.set(50, -1);
    expected.set(51, -1);
    assertEquals(expected, sim.playedSequence().subList(0, 100));
    assertEquals(3, sim.buffer.stats().concealed());
  }

  @Test
  void sequenceWrapAroundIsInvisible() {
    Simulation sim = new Simulation().run(300, 65_400, k -> k % 3 == 0 ? 30 : 4, 310);

    assertEquals(range(0, 300), sim.playedSequence().subList(0, 300));
    assertEquals(0, sim.buffer.stats().concealed());
  }

  @Test
  void aBurstAfterANetworkStallIsPlayedInFullAndTheDelayComesBackDown() {
    // Packets 100..114 (300 ms) are held up and then arrive together with packet 115.
    Simulation sim =
        new Simulation().run(400, 7, k -> k >= 100 && k < 115 ? (115 - k) * FRAME + 3 : 3, 420);

    List<Integer> played = sim.playedSequence();
    // The stall is an underrun (silence, not concealment of lost packets); afterwards every packet
    // is either played in order or deliberately skipped to bring the delay down - none vanishes.
    assertTrue(sim.buffer.stats().underruns() >= 1);
    assertEquals(0, sim.buffer.stats().late());
    assertEquals(0, sim.buffer.stats().overflowDropped());
    assertEquals(0, sim.buffer.stats().concealed());
    assertEquals(400, sim.buffer.stats().played() + sim.buffer.stats().catchUpDropped());
    assertEquals(played.stream().sorted().toList(), played, "in order");
    assertTrue(sim.buffer.stats().catchUpDropped() <= 15, "skipped at most the stall's length");
    int peakTarget = sim.targets.stream().mapToInt(Integer::intValue).max().orElseThrow();
    assertTrue(peakTarget >= 100, "the stall raised the target to " + peakTarget);
    assertTrue(sim.buffer.stats().catchUpDropped() > 0, "delay was reduced after the burst");
    assertTrue(sim.buffer.bufferedMillis() <= sim.buffer.targetDelayMillis() + FRAME);
  }

  @Test
  void targetDelayGrowsWithJitterAndShrinksWhenItCalmsDown() {
    Random random = new Random(42);
    long[] delays = new long[3000];
    for (int k = 0; k < delays.length; k++) {
      // 1000 calm packets, 1000 with 0..60 ms random delay, 1000 calm again.
      delays[k] = k >= 1000 && k < 2000 ? random.nextInt(61) : 2;
    }
    Simulation sim = new Simulation().run(3000, 500, k -> delays[(int) k], 3010);

    int calm = sim.targets.get(990);
    int jittery = sim.targets.get(1990);
    int calmAgain = sim.targets.get(2990);
    assertEquals(40, calm, "minimum delay on a clean network");
    assertTrue(jittery >= 80, "target under 0..60 ms jitter was " + jittery);
    assertEquals(40, calmAgain, "back to the minimum after the jitter ends");

    long lateInJitteryPart = sim.buffer.stats().late();
    assertTrue(lateInJitteryPart <= 20, "late packets " + lateInJitteryPart + " of 1000 (< 2 %)");
  }

  @Test
  void packetsArrivingAfterTheirSlotAreCountedLateAndRaiseTheTarget() {
    // Packet 40 arrives 200 ms late on an otherwise clean stream.
    Simulation sim = new Simulation().run(100, 0, k -> k == 40 ? 200 : 2, 110);

    assertEquals(1, sim.buffer.stats().late());
    assertTrue(sim.offers.contains(OfferResult.TOO_LATE));
    assertEquals(-1, sim.playedSequence().get(40));
    int before = sim.targets.get(45);
    int after = sim.targets.get(55);
    assertTrue(after > before, "target " + before + " -> " + after);
  }

  @Test
  void aHugeSequenceJumpRestartsTheBuffer() {
    JitterBuffer buffer = new JitterBuffer(JitterBufferConfig.defaults());
    buffer.offer(10, 0, new byte[] {1}, 0);
    assertEquals(OfferResult.ACCEPTED_RESYNC, buffer.offer(30_000, 0, new byte[] {2}, 20 * MS));
    buffer.offer(30_001, 160, new byte[] {3}, 40 * MS);
    buffer.offer(30_002, 320, new byte[] {4}, 60 * MS);
    Playout first = buffer.poll();
    assertEquals(2, assertInstanceOf(Playout.Frame.class, first).payload()[0]);
  }

  @Test
  void concealmentRepeatsTheLastFrameFadingToSilence() {
    LossConcealer concealer = new LossConcealer(160);
    short[] good = new short[160];
    java.util.Arrays.fill(good, (short) 1000);
    assertEquals(good, concealer.onGoodFrame(good));

    short[] first = concealer.conceal();
    short[] second = concealer.conceal();
    concealer.conceal();
    short[] fourth = concealer.conceal();
    assertEquals(1000, first[0]);
    assertTrue(first[159] < 600 && first[159] > 400, "first loss fades to half");
    assertTrue(second[0] <= 500 && second[159] < 300);
    assertTrue(java.util.Arrays.stream(toInts(fourth)).allMatch(v -> v == 0), "silent after 60 ms");

    short[] resumed = concealer.onGoodFrame(good);
    assertTrue(resumed[0] < 50 && resumed[159] == 1000, "fade-in after a gap");
  }

  private static int[] toInts(short[] samples) {
    int[] out = new int[samples.length];
    for (int i = 0; i < samples.length; i++) {
      out[i] = samples[i];
    }
    return out;
  }
}

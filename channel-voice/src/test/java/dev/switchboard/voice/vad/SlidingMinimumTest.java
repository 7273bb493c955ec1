package dev.switchboard.voice.vad;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SlidingMinimumTest {

  @Test
  void agreesWithTheMinimumOfEveryValueInTheWindow() {
    Random random = new Random(7);
    SlidingMinimum quietest = new SlidingMinimum();
    List<double[]> all = new ArrayList<>();
    double time = 0;
    double window = 2000;
    for (int step = 0; step < 20_000; step++) {
      // Mostly 20 ms frames, sometimes several at one instant; levels with long quiet stretches.
      time += random.nextInt(10) == 0 ? 0 : 20;
      double value = step % 500 < 100 ? -70 + random.nextDouble() : -40 * random.nextDouble();
      quietest.add(time, value);
      quietest.expireThrough(time - window);
      all.add(new double[] {time, value});

      double expected = Double.MAX_VALUE;
      for (double[] entry : all) {
        if (entry[0] > time - window) {
          expected = Math.min(expected, entry[1]);
        }
      }
      assertEquals(expected, quietest.min(Double.NaN), "at step " + step);
      if (all.size() > 400) {
        all.subList(0, 200).clear(); // older than any window of 2 s at 20 ms a step
      }
    }
  }

  @Test
  void isEmptyOnceEverythingExpiredOrAfterClear() {
    SlidingMinimum quietest = new SlidingMinimum();
    assertEquals(-90.0, quietest.min(-90.0));
    quietest.add(0, -30);
    quietest.add(20, -50);
    quietest.expireThrough(20);
    assertEquals(-1.0, quietest.min(-1.0));
    quietest.add(40, -10);
    quietest.clear();
    assertEquals(-1.0, quietest.min(-1.0));
  }
}

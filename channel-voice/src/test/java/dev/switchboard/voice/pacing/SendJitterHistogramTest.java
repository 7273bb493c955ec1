package dev.switchboard.voice.pacing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SendJitterHistogramTest {

  @Test
  void countsSendsAtLeastAsLateAsAThreshold() {
    SendJitterHistogram histogram = new SendJitterHistogram();
    histogram.record(-5_000); // early counts as on time
    histogram.record(400_000); // 0.4 ms
    histogram.record(1_000_000); // 1 ms
    histogram.record(6_500_000); // 6.5 ms
    histogram.record(900_000_000); // 900 ms: beyond the range, in the last bucket

    assertEquals(5, histogram.count());
    assertEquals(5, histogram.countAtLeast(0));
    assertEquals(3, histogram.countAtLeast(1_000_000));
    assertEquals(2, histogram.countAtLeast(5_000_000));
    assertEquals(1, histogram.countAtLeast(20_000_000));
    assertEquals(1, histogram.countAtLeast(10_000_000_000L));
  }

  @Test
  void percentilesFollowTheRecordedLateness() {
    SendJitterHistogram histogram = new SendJitterHistogram();
    for (int i = 0; i < 99; i++) {
      histogram.record(100_000); // 0.1 ms
    }
    histogram.record(8_000_000); // one send 8 ms late

    assertEquals(110.0, histogram.percentileMicros(0.99), 0.001);
    assertEquals(8010.0, histogram.percentileMicros(1.0), 0.001);
    assertEquals(8000.0, histogram.maxMicros(), 0.001);
  }
}

package dev.switchboard.voice.vad;

/**
 * The smallest value added within a sliding window of time, in amortized constant time per value.
 * It keeps only the candidates: once a value arrives, every older value at least as large can never
 * be the minimum again, so the kept values rise from oldest to newest and the oldest kept is the
 * minimum. Times must not decrease. Not thread-safe.
 */
final class SlidingMinimum {
  private double[] times = new double[64];
  private double[] values = new double[64];
  private int head;
  private int size;

  /** Adds a value at a time no earlier than the previous one. */
  void add(double time, double value) {
    while (size > 0 && values[slot(size - 1)] >= value) {
      size--;
    }
    if (size == values.length) {
      grow();
    }
    int slot = slot(size);
    times[slot] = time;
    values[slot] = value;
    size++;
  }

  /** Forgets every value added at or before {@code cutoff}. */
  void expireThrough(double cutoff) {
    while (size > 0 && times[head] <= cutoff) {
      head = (head + 1) % values.length;
      size--;
    }
  }

  /** The minimum of the values kept, or {@code whenEmpty}. */
  double min(double whenEmpty) {
    return size == 0 ? whenEmpty : values[head];
  }

  void clear() {
    head = 0;
    size = 0;
  }

  private int slot(int index) {
    return (head + index) % values.length;
  }

  private void grow() {
    double[] newTimes = new double[values.length * 2];
    double[] newValues = new double[values.length * 2];
    for (int i = 0; i < size; i++) {
      newTimes[i] = times[slot(i)];
      newValues[i] = values[slot(i)];
    }
    times = newTimes;
    values = newValues;
    head = 0;
  }
}

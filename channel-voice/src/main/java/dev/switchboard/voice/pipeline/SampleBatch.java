package dev.switchboard.voice.pipeline;

import java.util.Arrays;

/**
 * Gathers 16-bit samples until a batch of a given length is full, so a stream of 20 ms frames can
 * leave as fewer, larger messages. Not thread-safe: one pipeline thread owns it.
 */
final class SampleBatch {
  private final int capacity;
  private short[] samples;
  private int size;

  /**
   * @param capacity samples per full batch (at least 1)
   */
  SampleBatch(int capacity) {
    this.capacity = Math.max(1, capacity);
    this.samples = new short[this.capacity];
  }

  /** Appends {@code more}; returns whether the batch is now full. */
  boolean add(short[] more) {
    if (size + more.length > samples.length) {
      samples = Arrays.copyOf(samples, Math.max(samples.length * 2, size + more.length));
    }
    System.arraycopy(more, 0, samples, size, more.length);
    size += more.length;
    return size >= capacity;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** The samples gathered so far (a new array), leaving the batch empty. */
  short[] drain() {
    short[] out = Arrays.copyOf(samples, size);
    size = 0;
    return out;
  }

  /** Forgets what was gathered. */
  void clear() {
    size = 0;
  }
}

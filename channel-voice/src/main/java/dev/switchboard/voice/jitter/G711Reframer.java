package dev.switchboard.voice.jitter;

import java.util.Arrays;

/**
 * Re-cuts G.711 packets of any duration (10, 30, 40 ms… when a peer ignores our {@code ptime:20})
 * into the fixed frames the 20 ms playout tick consumes. G.711 is one byte per sample, so this
 * works on the encoded bytes without decoding. Missing packets are carried as silence bytes with a
 * count, so the consumer can still conceal them.
 *
 * <p>Not thread-safe: used under the call's receive lock.
 */
public final class G711Reframer {

  /** One fixed-size frame: the bytes, and how many of them stand in for lost audio. */
  public record Chunk(byte[] payload, int missingSamples) {}

  private final int frameSamples;
  private final byte silence;
  private byte[] bytes = new byte[1024];
  private boolean[] missing = new boolean[1024];
  private int start;
  private int end;

  /**
   * @param frameSamples output frame length (160 for 20 ms at 8 kHz)
   * @param silence the law's silence byte, used for missing audio
   */
  public G711Reframer(int frameSamples, byte silence) {
    this.frameSamples = frameSamples;
    this.silence = silence;
  }

  /** Appends a received packet's payload. */
  public void addPacket(byte[] payload) {
    ensureRoom(payload.length);
    System.arraycopy(payload, 0, bytes, end, payload.length);
    Arrays.fill(missing, end, end + payload.length, false);
    end += payload.length;
  }

  /** Appends a gap of {@code samples} for a lost packet. */
  public void addMissing(int samples) {
    ensureRoom(samples);
    Arrays.fill(bytes, end, end + samples, silence);
    Arrays.fill(missing, end, end + samples, true);
    end += samples;
  }

  /** Samples buffered. */
  public int available() {
    return end - start;
  }

  /** Takes one frame; call only when {@link #available()} is at least a frame. */
  public Chunk take() {
    if (available() < frameSamples) {
      throw new IllegalStateException("only " + available() + " samples buffered");
    }
    byte[] payload = Arrays.copyOfRange(bytes, start, start + frameSamples);
    int gaps = 0;
    for (int i = start; i < start + frameSamples; i++) {
      if (missing[i]) {
        gaps++;
      }
    }
    start += frameSamples;
    return new Chunk(payload, gaps);
  }

  /** Forgets buffered audio (new source). */
  public void clear() {
    start = 0;
    end = 0;
  }

  private void ensureRoom(int more) {
    if (start > 0) {
      System.arraycopy(bytes, start, bytes, 0, end - start);
      System.arraycopy(missing, start, missing, 0, end - start);
      end -= start;
      start = 0;
    }
    if (end + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, end + more));
      missing = Arrays.copyOf(missing, bytes.length);
    }
  }
}

package dev.switchboard.modeladapter.audio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

/** Minimal RIFF/WAVE support: write mono PCM16, read the PCM16 data chunk back. */
public final class Wav {

  private Wav() {}

  /** A 44-byte-header mono 16-bit PCM WAV file. */
  public static byte[] pcm16Mono(byte[] pcm16le, int sampleRate) {
    ByteBuffer out = ByteBuffer.allocate(44 + pcm16le.length).order(ByteOrder.LITTLE_ENDIAN);
    out.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    out.putInt(36 + pcm16le.length);
    out.put("WAVEfmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    out.putInt(16);
    out.putShort((short) 1); // PCM
    out.putShort((short) 1); // mono
    out.putInt(sampleRate);
    out.putInt(sampleRate * 2);
    out.putShort((short) 2);
    out.putShort((short) 16);
    out.put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    out.putInt(pcm16le.length);
    out.put(pcm16le);
    return out.array();
  }

  /** Mono 16-bit PCM samples and their rate. */
  public record Pcm16(byte[] pcm16le, int sampleRate) {}

  /** Reads a mono 16-bit PCM WAV; empty for anything else (stereo, float, compressed, broken). */
  public static Optional<Pcm16> readPcm16Mono(byte[] wav) {
    if (wav.length < 12
        || !new String(wav, 0, 4, java.nio.charset.StandardCharsets.US_ASCII).equals("RIFF")
        || !new String(wav, 8, 4, java.nio.charset.StandardCharsets.US_ASCII).equals("WAVE")) {
      return Optional.empty();
    }
    ByteBuffer in = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
    int at = 12;
    int rate = -1;
    boolean pcm16Mono = false;
    while (at + 8 <= wav.length) {
      String id = new String(wav, at, 4, java.nio.charset.StandardCharsets.US_ASCII);
      int size = in.getInt(at + 4);
      if (size < 0 || at + 8L + size > wav.length + 1L) {
        return Optional.empty();
      }
      if (id.equals("fmt ") && size >= 16) {
        int format = in.getShort(at + 8) & 0xffff;
        int channels = in.getShort(at + 10) & 0xffff;
        rate = in.getInt(at + 12);
        int bits = in.getShort(at + 22) & 0xffff;
        pcm16Mono = format == 1 && channels == 1 && bits == 16;
      } else if (id.equals("data")) {
        if (!pcm16Mono || rate <= 0) {
          return Optional.empty();
        }
        int length = Math.min(size, wav.length - at - 8) & ~1;
        byte[] data = new byte[length];
        System.arraycopy(wav, at + 8, data, 0, length);
        return Optional.of(new Pcm16(data, rate));
      }
      at += 8 + size + (size & 1);
    }
    return Optional.empty();
  }
}

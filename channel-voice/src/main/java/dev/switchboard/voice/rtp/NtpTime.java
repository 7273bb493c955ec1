package dev.switchboard.voice.rtp;

/** Converts wall-clock time to the 64-bit NTP format used in sender reports. */
public final class NtpTime {

  /** Seconds from 1900-01-01 (NTP epoch) to 1970-01-01 (Unix epoch). */
  private static final long EPOCH_OFFSET_SECONDS = 2_208_988_800L;

  private NtpTime() {}

  /** NTP timestamp (32.32 fixed point seconds since 1900) for a Unix time in milliseconds. */
  public static long fromUnixMillis(long unixMillis) {
    long seconds = Math.floorDiv(unixMillis, 1000L) + EPOCH_OFFSET_SECONDS;
    long millis = Math.floorMod(unixMillis, 1000L);
    long fraction = (millis << 32) / 1000L;
    return (seconds << 32) | fraction;
  }

  /** Unix time in milliseconds for an NTP timestamp. */
  public static long toUnixMillis(long ntp) {
    long seconds = (ntp >>> 32) - EPOCH_OFFSET_SECONDS;
    long fraction = ntp & 0xFFFFFFFFL;
    return seconds * 1000L + ((fraction * 1000L) >>> 32);
  }
}

package dev.switchboard.voice.rtp;

import java.util.Arrays;
import java.util.Objects;

/**
 * The RTP header extension (RFC 3550 section 5.3.1): a 16-bit profile-defined value and data whose
 * length is a multiple of four octets.
 */
public record RtpHeaderExtension(int profile, byte[] data) {

  public RtpHeaderExtension {
    Objects.requireNonNull(data, "data");
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RtpHeaderExtension that
        && profile == that.profile
        && Arrays.equals(data, that.data);
  }

  @Override
  public int hashCode() {
    return 31 * profile + Arrays.hashCode(data);
  }
}

package dev.switchboard.voice.dtmf;

import dev.switchboard.voice.rtp.RtpPacket;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the RFC 4733 packet train for one key press, as a sending endpoint does: a first packet
 * with the marker bit, an update every 50 ms, and the end packet sent three times.
 */
public final class TelephoneEventPackets {

  private static final int UPDATE_INTERVAL_MILLIS = 50;
  private static final int END_REPETITIONS = 3;
  private static final int DEFAULT_VOLUME = 10;

  private TelephoneEventPackets() {}

  /**
   * @param digit the key
   * @param durationMillis how long it is held
   * @param payloadType the negotiated telephone-event payload type (often 101)
   * @param firstSequence the sequence number of the first packet
   * @param timestamp the press's start timestamp (shared by all its packets)
   * @param ssrc the stream's SSRC
   * @param clockRate the RTP clock (8000)
   */
  public static List<RtpPacket> forKeyPress(
      char digit,
      int durationMillis,
      int payloadType,
      int firstSequence,
      long timestamp,
      long ssrc,
      int clockRate) {
    int event = TelephoneEvent.eventCodeOf(digit);
    List<RtpPacket> packets = new ArrayList<>();
    int sequence = firstSequence;
    for (int elapsed = UPDATE_INTERVAL_MILLIS;
        elapsed < durationMillis;
        elapsed += UPDATE_INTERVAL_MILLIS) {
      TelephoneEvent update =
          new TelephoneEvent(event, false, DEFAULT_VOLUME, units(elapsed, clockRate));
      packets.add(
          RtpPacket.of(
              packets.isEmpty(),
              payloadType,
              sequence++ & 0xFFFF,
              timestamp,
              ssrc,
              update.serialize()));
    }
    TelephoneEvent end =
        new TelephoneEvent(event, true, DEFAULT_VOLUME, units(durationMillis, clockRate));
    for (int i = 0; i < END_REPETITIONS; i++) {
      packets.add(
          RtpPacket.of(
              packets.isEmpty(),
              payloadType,
              sequence++ & 0xFFFF,
              timestamp,
              ssrc,
              end.serialize()));
    }
    return packets;
  }

  private static int units(int millis, int clockRate) {
    return (int) Math.min(0xFFFF, (long) millis * clockRate / 1000);
  }
}

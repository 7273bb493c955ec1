package dev.switchboard.voice.dtmf;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns a stream of RFC 4733 telephone-event packets into one {@link DtmfDigit} per key press.
 *
 * <p>All packets of one press share its start RTP timestamp (section 2.5.1). The digit is reported
 * on the first packet with the end bit; the retransmitted end packets (section 2.5.1.4, normally
 * three) and late packets of a finished press are recognised by that timestamp and ignored. If all
 * end packets are lost, the press is reported when the next press starts or when {@link
 * #flushPending()} is called (the owner does that after a quiet period).
 *
 * <p>Limit: events longer than 8.19 s (duration overflow, section 2.5.1.3) are reported as one
 * press per segment. Not thread-safe: one instance per call.
 */
public final class DtmfReceiver {

  private static final int NONE = -1;

  private final int clockRate;
  private long pendingTimestamp;
  private int pendingEvent = NONE;
  private int pendingDuration;
  private long lastReportedTimestamp = -1;
  private long malformed;
  private long ignored;

  /**
   * @param clockRate the telephone-event RTP clock rate (8000 for the usual {@code
   *     telephone-event/8000})
   */
  public DtmfReceiver(int clockRate) {
    this.clockRate = clockRate;
  }

  /**
   * Feeds one telephone-event packet.
   *
   * @param rtpTimestamp the packet's RTP timestamp (the press's start time)
   * @param payload the RTP payload
   * @return digits completed by this packet: usually none or one; two when this packet starts a new
   *     press and the previous press never saw its end
   */
  public List<DtmfDigit> onPacket(long rtpTimestamp, byte[] payload) {
    Optional<TelephoneEvent> parsed = TelephoneEvent.parse(payload);
    if (parsed.isEmpty()) {
      malformed++;
      return List.of();
    }
    TelephoneEvent event = parsed.get();
    if (event.digit().isEmpty() || rtpTimestamp == lastReportedTimestamp) {
      ignored++; // flash/other tones, or a redundant end / late packet of a reported press
      return List.of();
    }
    List<DtmfDigit> digits = new ArrayList<>(2);
    if (pendingEvent != NONE && rtpTimestamp != pendingTimestamp) {
      digits.add(reportPending(false));
    }
    pendingTimestamp = rtpTimestamp;
    pendingEvent = event.event();
    pendingDuration = Math.max(pendingDuration, event.duration());
    if (event.end()) {
      digits.add(reportPending(true));
    }
    return digits;
  }

  /** Reports a press whose end packets never arrived, if there is one. */
  public Optional<DtmfDigit> flushPending() {
    return pendingEvent == NONE ? Optional.empty() : Optional.of(reportPending(false));
  }

  /** Payloads too short to be telephone events. */
  public long malformedCount() {
    return malformed;
  }

  /** Packets ignored as redundant, late, or not DTMF. */
  public long ignoredCount() {
    return ignored;
  }

  private DtmfDigit reportPending(boolean endSeen) {
    char digit = new TelephoneEvent(pendingEvent, endSeen, 0, 0).digit().orElseThrow();
    DtmfDigit reported =
        new DtmfDigit(
            digit, pendingTimestamp, (int) (pendingDuration * 1000L / clockRate), endSeen);
    lastReportedTimestamp = pendingTimestamp;
    pendingEvent = NONE;
    pendingDuration = 0;
    return reported;
  }
}

package dev.switchboard.voice.transaction;

import dev.switchboard.voice.sip.SipMessage;
import dev.switchboard.voice.sip.SipRequest;
import dev.switchboard.voice.sip.SipResponse;
import java.util.ArrayList;
import java.util.List;

/** Records what would go on the wire, with the time it was sent. */
public final class CapturingOutbound implements SipOutbound {
  /** One message sent. */
  public record Sent(long at, SipMessage message, SipPeer peer) {}

  private final ManualTimers clock;
  public final List<Sent> sent = new ArrayList<>();

  public CapturingOutbound(ManualTimers clock) {
    this.clock = clock;
  }

  @Override
  public void send(SipMessage message, SipPeer peer) {
    sent.add(new Sent(clock.now(), message, peer));
  }

  @Override
  public String advertisedHost() {
    return "192.0.2.10";
  }

  @Override
  public int advertisedPort(SipPeer.Transport transport) {
    return 5060;
  }

  public List<Long> timesOfStatus(int status) {
    return sent.stream()
        .filter(s -> s.message() instanceof SipResponse r && r.status() == status)
        .map(Sent::at)
        .toList();
  }

  public List<SipRequest> requests(String method) {
    return sent.stream()
        .filter(s -> s.message() instanceof SipRequest r && r.is(method))
        .map(s -> (SipRequest) s.message())
        .toList();
  }

  public SipResponse lastResponse() {
    for (int i = sent.size() - 1; i >= 0; i--) {
      if (sent.get(i).message() instanceof SipResponse r) {
        return r;
      }
    }
    return null;
  }
}

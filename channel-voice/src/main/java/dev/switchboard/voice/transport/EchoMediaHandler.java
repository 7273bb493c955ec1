package dev.switchboard.voice.transport;

import dev.switchboard.voice.call.CallControl;
import dev.switchboard.voice.call.CallEndReason;
import dev.switchboard.voice.call.CallMediaHandler;
import dev.switchboard.voice.call.CallSession;
import dev.switchboard.voice.call.DtmfEvent;
import io.vertx.core.Vertx;
import io.vertx.core.datagram.DatagramSocket;
import java.util.HashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Test mode until the speech pipeline is plugged in: binds the call's RTP port and sends every
 * packet back where it came from (symmetric RTP), so a caller hears themselves. Pressing {@code #}
 * (SIP INFO) makes us hang up, which is how interop tests exercise a BYE from our side.
 */
public final class EchoMediaHandler implements CallMediaHandler {
  private static final Logger LOG = Logger.getLogger(EchoMediaHandler.class);

  private final Vertx vertx;
  private final String bindHost;
  private final Map<String, DatagramSocket> sockets = new HashMap<>();
  private final Map<String, CallControl> controls = new HashMap<>();

  public EchoMediaHandler(Vertx vertx, String bindHost) {
    this.vertx = vertx;
    this.bindHost = bindHost;
  }

  @Override
  public void onCallStarted(CallSession session, CallControl control) {
    controls.put(session.callId(), control);
    DatagramSocket socket = vertx.createDatagramSocket();
    sockets.put(session.callId(), socket);
    socket.handler(p -> socket.send(p.data(), p.sender().port(), p.sender().host()));
    socket
        .listen(session.media().localPort(), bindHost)
        .onFailure(
            e ->
                LOG.warnf(
                    "Call %s: cannot bind RTP port %d: %s",
                    session.callId(), session.media().localPort(), e.getMessage()));
  }

  @Override
  public void onMediaChanged(CallSession session) {}

  @Override
  public void onDtmf(CallSession session, DtmfEvent event) {
    CallControl control = controls.get(session.callId());
    if (event.digit() == '#' && control != null) {
      control.hangUp(session.callId(), CallEndReason.WE_HUNG_UP);
    }
  }

  @Override
  public void onCallEnded(CallSession session, CallEndReason reason) {
    controls.remove(session.callId());
    DatagramSocket socket = sockets.remove(session.callId());
    if (socket != null) {
      socket.close();
    }
  }
}

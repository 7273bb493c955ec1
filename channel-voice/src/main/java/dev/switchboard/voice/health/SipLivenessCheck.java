package dev.switchboard.voice.health;

import dev.switchboard.voice.transport.SipServer;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Alive while the SIP sockets are bound (draining does not make a node dead). */
@Liveness
@ApplicationScoped
public class SipLivenessCheck implements HealthCheck {
  private final SipServer server;

  public SipLivenessCheck(SipServer server) {
    this.server = server;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("sip-sockets").status(server.listening()).build();
  }
}

package dev.switchboard.voice.health;

import dev.switchboard.voice.call.CallAdmission;
import dev.switchboard.voice.transport.SipServer;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready to take calls: listening, not draining, and below the call limit. A full or draining node
 * reports DOWN so a load balancer or SRV-aware trunk sends new calls elsewhere; its calls go on.
 */
@Readiness
@ApplicationScoped
public class SipReadinessCheck implements HealthCheck {
  private final SipServer server;

  public SipReadinessCheck(SipServer server) {
    this.server = server;
  }

  @Override
  public HealthCheckResponse call() {
    CallAdmission admission = server.admission();
    boolean up = server.listening() && !admission.draining() && !admission.atCapacity();
    return HealthCheckResponse.named("sip")
        .status(up)
        .withData("listening", server.listening())
        .withData("draining", admission.draining())
        .withData("activeCalls", admission.activeCalls())
        .withData("maxConcurrentCalls", admission.maxConcurrentCalls())
        .withData("freeRtpPorts", server.ports().available())
        .build();
  }
}

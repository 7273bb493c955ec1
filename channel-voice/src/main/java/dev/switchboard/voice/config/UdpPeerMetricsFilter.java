package dev.switchboard.voice.config;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Turns off the Vert.x binder's per-datagram UDP meters ({@code udp.bytes.read}, {@code
 * udp.bytes.written}, {@code udp.errors}). They are tagged with the remote address, so every caller
 * and every RTP peer would add meters that are never removed, and recording them cost a tag merge
 * and a registry lookup per packet on the SIP and media threads. Our own SIP counters and RTP
 * statistics report traffic without a per-peer label.
 */
@Singleton
public class UdpPeerMetricsFilter {
  static final String VERTX_UDP_PREFIX = "udp.";

  @Produces
  @Singleton
  MeterFilter denyPerPeerUdpMeters() {
    return new MeterFilter() {
      @Override
      public MeterFilterReply accept(Meter.Id id) {
        return id.getName().startsWith(VERTX_UDP_PREFIX)
            ? MeterFilterReply.DENY
            : MeterFilterReply.NEUTRAL;
      }
    };
  }
}

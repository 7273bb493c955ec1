package dev.switchboard.launcher;

import dev.switchboard.devstack.FreePorts;

/** The ports one platform run listens on. */
public record PlatformPorts(
    int whatsAppHttp,
    int coreHttp,
    int modelHttp,
    int modelGrpc,
    int voiceHttp,
    int sip,
    int reviewHttp,
    int graphApiStandIn) {

  /** The documented ports of a local run. */
  public static PlatformPorts fixed() {
    return new PlatformPorts(8081, 8082, 8083, 9083, 8084, 5060, 8085, 8090);
  }

  /** Free ports, for tests that must not collide with anything else on the machine. */
  public static PlatformPorts free() {
    return new PlatformPorts(
        FreePorts.next(),
        FreePorts.next(),
        FreePorts.next(),
        FreePorts.next(),
        FreePorts.next(),
        FreePorts.next(),
        FreePorts.next(),
        FreePorts.next());
  }
}

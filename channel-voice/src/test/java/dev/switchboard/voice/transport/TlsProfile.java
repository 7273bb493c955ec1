package dev.switchboard.voice.transport;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * SIP over TLS on a free port, with the test-only key and trust stores from src/test/resources/tls.
 */
public class TlsProfile implements QuarkusTestProfile {
  static final String PASSWORD = "test-only-password";

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "switchboard.voice.sip.tls.enabled", "true",
        "switchboard.voice.sip.tls.port", "0",
        "switchboard.voice.sip.tls.key-store", "tls/sip-test.p12",
        "switchboard.voice.sip.tls.key-store-password", PASSWORD,
        "switchboard.voice.sip.tls.trust-store", "tls/sip-test-trust.p12",
        "switchboard.voice.sip.tls.trust-store-password", PASSWORD);
  }
}

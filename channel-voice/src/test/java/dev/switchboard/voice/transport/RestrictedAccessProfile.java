package dev.switchboard.voice.transport;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Only 127.0.0.1 is a trunk; other loopback addresses must authenticate; two calls at most. */
public class RestrictedAccessProfile implements QuarkusTestProfile {
  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "switchboard.voice.security.trunks.local.cidrs", "127.0.0.1/32",
        "switchboard.voice.security.digest.enabled", "true",
        "switchboard.voice.security.digest.realm", "switchboard-test",
        "switchboard.voice.security.digest.users.alice", "wonderland",
        "switchboard.voice.calls.max-concurrent", "2",
        "switchboard.voice.calls.ring-time", "0ms",
        "switchboard.voice.security.invite-rate-per-second", "1",
        "switchboard.voice.security.invite-burst", "3");
  }
}

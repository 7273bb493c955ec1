package dev.switchboard.safety.config;

import dev.switchboard.safety.auth.LoginThrottle;
import dev.switchboard.safety.crypto.TranscriptCipher;
import dev.switchboard.safety.redaction.Redactor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import java.util.Base64;

/** Plain-Java collaborators built from configuration. */
@ApplicationScoped
public class SafetyBeans {

  @Produces
  @ApplicationScoped
  TranscriptCipher transcriptCipher(SafetyConfig config) {
    byte[] key = Base64.getDecoder().decode(config.crypto().transcriptKey().trim());
    return new TranscriptCipher(key, config.crypto().transcriptKeyId());
  }

  /** Injected wherever time matters, so retention and claim expiry read one clock. */
  @Produces
  @ApplicationScoped
  Clock clock() {
    return Clock.systemUTC();
  }

  @Produces
  @ApplicationScoped
  Redactor redactor(SafetyConfig config) {
    return new Redactor(config.redaction().defaultRegion());
  }

  @Produces
  @ApplicationScoped
  LoginThrottle loginThrottle(SafetyConfig config, Clock clock) {
    SafetyConfig.Login login = config.review().login();
    return new LoginThrottle(
        new LoginThrottle.Limits(
            login.maxFailuresPerAccount(),
            login.maxFailuresPerAddress(),
            login.failureWindow(),
            login.lockout(),
            login.maxTrackedKeys()),
        clock);
  }
}

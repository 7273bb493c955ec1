package dev.switchboard.safety.auth;

import dev.switchboard.safety.config.SafetyConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.security.SecureRandom;
import org.jboss.logging.Logger;

/**
 * Creates the first admin account when the database has none. The password comes from {@code
 * switchboard.review.bootstrap-admin-password}; without it one is generated and logged once, the
 * only time a secret is ever logged, so the launcher can show the first login.
 */
@ApplicationScoped
public class BootstrapAdmin {
  public static final String ADMIN_USERNAME = "admin";
  private static final Logger LOG = Logger.getLogger(BootstrapAdmin.class);
  private static final String ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

  private final AccountService accounts;
  private final SafetyConfig config;

  public BootstrapAdmin(AccountService accounts, SafetyConfig config) {
    this.accounts = accounts;
    this.config = config;
  }

  void onStart(@Observes StartupEvent event) {
    if (accounts.anyAccountExists()) {
      return;
    }
    var configured = config.review().bootstrapAdminPassword().filter(p -> !p.isBlank());
    String password = configured.orElseGet(BootstrapAdmin::generatePassword);
    try {
      accounts.create(ADMIN_USERNAME, password, Role.ADMIN);
    } catch (IllegalArgumentException e) {
      // Another replica created it first, or the configured password is too short.
      if (accounts.anyAccountExists()) {
        return;
      }
      throw new IllegalStateException(
          "switchboard.review.bootstrap-admin-password is not usable: " + e.getMessage());
    }
    if (configured.isPresent()) {
      LOG.info(
          "Reviewer UI first login: admin / (the password set in"
              + " switchboard.review.bootstrap-admin-password)");
    } else {
      LOG.infof("Reviewer UI first login: admin / %s", password);
    }
  }

  static String generatePassword() {
    SecureRandom random = new SecureRandom();
    StringBuilder sb = new StringBuilder(20);
    for (int i = 0; i < 20; i++) {
      sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return sb.toString();
  }
}

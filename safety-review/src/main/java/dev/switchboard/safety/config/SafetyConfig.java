package dev.switchboard.safety.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every setting of the safety-review service, under the {@code switchboard.} prefix. */
@ConfigMapping(prefix = "switchboard")
public interface SafetyConfig {

  /** The reviewer web UI. */
  Review review();

  /** Encryption of original (unredacted) transcript text at rest. */
  Crypto crypto();

  /** Automated classification and case opening. */
  Classification classification();

  /** Transcript expiry. */
  Retention retention();

  /** Personal-data redaction of display copies. */
  Redaction redaction();

  /** Redaction settings. */
  interface Redaction {
    /** Region (ISO 3166-1 alpha-2) assumed for phone numbers written without a country code. */
    @WithDefault("US")
    String defaultRegion();
  }

  /** Reviewer UI settings. */
  interface Review {
    /**
     * Password of the first admin account, created at first start when no account exists. When
     * unset a random one is generated and logged once.
     */
    Optional<String> bootstrapAdminPassword();

    /** How long a login session lasts. */
    @WithDefault("PT8H")
    Duration sessionTtl();

    /** How long a claimed case stays with its reviewer before it returns to the queue. */
    @WithDefault("PT15M")
    Duration claimTtl();

    /** Flagged turns a reviewer may view per day before the UI suggests a break. */
    @WithDefault("150")
    int dailyExposureSoftLimit();

    /**
     * Marks session cookies Secure. Browsers accept Secure cookies on http://localhost; turn this
     * off only for plain-HTTP access from another host in a lab.
     */
    @WithDefault("true")
    boolean secureCookies();

    /** Limits on failed logins, against password guessing. */
    Login login();

    /** Single sign-on through an OpenID Connect provider, instead of the embedded login. */
    Oidc oidc();
  }

  /**
   * OpenID Connect sign-in (authorization code flow). When enabled it is the only way in: the
   * password form is refused and reviewers sign in at the provider configured with {@code
   * quarkus.oidc.auth-server-url}, {@code quarkus.oidc.client-id} and {@code
   * quarkus.oidc.credentials.secret}. Each sign-in maps the provider's roles to ours and opens the
   * same server-side session (and CSRF token) as the embedded login.
   */
  interface Oidc {
    /** Sign in through the OpenID Connect provider; off means the embedded login. */
    @WithDefault("false")
    boolean enabled();

    /**
     * The ID token claim holding the user's roles or groups; a path through nested objects is
     * written with slashes, e.g. {@code realm_access/roles} for Keycloak realm roles.
     */
    @WithDefault("groups")
    String roleClaim();

    /** The provider's role (or group) name that makes a user a reviewer. */
    @WithDefault("switchboard-reviewer")
    String reviewerRole();

    /** The provider's role name that makes a user a lead (reviewer rights included). */
    @WithDefault("switchboard-lead")
    String leadRole();

    /** The provider's role name that makes a user an admin (all rights). */
    @WithDefault("switchboard-admin")
    String adminRole();

    /** The ID token claim naming the reviewer in the audit chain and on claimed cases. */
    @WithDefault("preferred_username")
    String usernameClaim();
  }

  /**
   * Login throttling. Failed logins are counted per account name and per client address (behind a
   * reverse proxy, enable {@code quarkus.http.proxy.proxy-address-forwarding} and trust the proxy
   * so the address is the client's, not the proxy's).
   */
  interface Login {
    /** Failed logins for one account name within the window that lock the account. */
    @WithDefault("5")
    int maxFailuresPerAccount();

    /** Failed logins from one client address within the window that lock the address. */
    @WithDefault("20")
    int maxFailuresPerAddress();

    /** The window in which failures are counted, from the first failure. */
    @WithDefault("PT15M")
    Duration failureWindow();

    /** How long a locked account or address is refused, even with the right password. */
    @WithDefault("PT15M")
    Duration lockout();

    /**
     * Account names and addresses tracked at once; beyond it new ones are refused (fail closed).
     */
    @WithDefault("100000")
    int maxTrackedKeys();
  }

  /** Encryption settings. */
  interface Crypto {
    /** AES-256 key (base64 of 32 bytes) for original transcript text. Required in production. */
    String transcriptKey();

    /** Identifier stored with each ciphertext so keys can be rotated. */
    @WithDefault("k1")
    String transcriptKeyId();
  }

  /** Classification settings. */
  interface Classification {
    /** Score at or above which a category opens a case, unless a per-category threshold is set. */
    @WithDefault("0.5")
    double defaultThreshold();

    /**
     * Per-category thresholds, e.g. {@code switchboard.classification.thresholds."violence"=0.7} (a
     * map has no single default; the shipped ones are in application.properties).
     */
    Map<String, Double> thresholds();

    /** Categories that block the person at once and go to the urgent queue. */
    @WithDefault("sexual/minors")
    List<String> severeCategories();

    /** Fraction of unflagged conversations sampled into the QA queue. */
    @WithDefault("0.01")
    double qaSampleRate();

    /** How often turns whose classification failed (model gateway down) are retried. */
    @WithDefault("30s")
    String retryEvery();

    /** Deadline of one Moderation.Classify call. */
    @WithDefault("PT5S")
    Duration deadline();
  }

  /** Retention settings. */
  interface Retention {
    /** Days a transcript is kept unless an open case or a legal hold keeps it. */
    @WithDefault("30")
    int days();

    /** How often the retention job runs. */
    @WithDefault("1h")
    String every();
  }
}

package dev.switchboard.whatsapp.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Everything channel-whatsapp reads from configuration, under {@code switchboard.whatsapp}. The one
 * shared setting, {@code switchboard.identity.pepper}, is read by {@link IdentityProducer}.
 */
@ConfigMapping(prefix = "switchboard.whatsapp")
public interface WhatsAppConfig {
  /** Base URL of the Graph API (a stand-in in tests and in the local sandbox). */
  @WithDefault("https://graph.facebook.com")
  String graphBaseUrl();

  /** Graph API version segment of every call, e.g. {@code v23.0}. */
  @WithDefault("v23.0")
  String apiVersion();

  /** The token Meta must present in the webhook verification handshake. */
  @WithDefault("dev-verify-token")
  String verifyToken();

  /**
   * The business numbers we answer on, keyed by phone_number_id. Example: {@code
   * switchboard.whatsapp.numbers."106540352242922".access-token=...}.
   */
  Map<String, Number> numbers();

  /** A built-in number with public dev credentials so the local platform runs without Meta. */
  DevNumber devNumber();

  /** Webhook intake. */
  Inbound inbound();

  /** Reply delivery. */
  Outbound outbound();

  /** One WhatsApp business number. */
  interface Number {
    /** Bearer token for Graph API calls made on behalf of this number. */
    String accessToken();

    /** Secret of the Meta app the number belongs to; the key of X-Hub-Signature-256. */
    String appSecret();

    /** Approved template sent instead of free text outside the 24-hour window. */
    Optional<String> templateName();

    /** Language code of that template. */
    @WithDefault("en")
    String templateLanguage();
  }

  /** The dev number; disabled in the prod profile. */
  interface DevNumber {
    /** Whether the dev number is accepted at all. */
    @WithDefault("true")
    boolean enabled();

    /** Its phone_number_id. */
    @WithDefault("100000000000001")
    String phoneNumberId();

    /** Its (fake) access token. */
    @WithDefault("dev-access-token")
    String accessToken();

    /** Its app secret, used to sign sample webhooks in the README and the launcher. */
    @WithDefault("dev-app-secret")
    String appSecret();
  }

  /** Webhook intake settings. */
  interface Inbound {
    /**
     * How long a webhook waits for Kafka to acknowledge (acks=all) its events before answering 503
     * so that Meta redelivers it.
     */
    @WithDefault("5S")
    Duration ackTimeout();

    /**
     * How long the inbound producer waits to fill a batch before sending it to Kafka; part of every
     * webhook's ack time, traded for fewer produce requests under load.
     */
    @WithDefault("5MS")
    Duration kafkaLinger();

    /**
     * How stale our record of a person's last message may get before it is written again. The
     * 24-hour window is judged from this record, so it may end up to this much early, never late.
     */
    @WithDefault("10M")
    Duration lastSeenRefresh();

    /** Mark each accepted message read and show the typing indicator (one Graph API call). */
    @WithDefault("true")
    boolean readReceipts();

    /**
     * Read receipts waiting for the Graph API at once. Beyond this a receipt is skipped and counted
     * (whatsapp.read.receipts{ok="skipped"}): replies share the same connections and must not queue
     * behind receipts when the Graph API is slow, and a receipt seconds late is of no use.
     */
    @WithDefault("32")
    int readReceiptsMaxInFlight();
  }

  /** Reply delivery settings. */
  interface Outbound {
    /** Timeout of one Graph API call. */
    @WithDefault("10S")
    Duration requestTimeout();

    /**
     * Keep-alive connections to the Graph API host (replies, read receipts and media share them);
     * calls beyond this wait for a free connection.
     */
    @WithDefault("64")
    int maxConnections();

    /** Attempts per send on retryable errors (429, 5xx, 130429, 131056, 4, 80007). */
    @WithDefault("5")
    int maxAttempts();

    /** First retry delay; doubles each attempt, with full jitter. */
    @WithDefault("200MS")
    Duration initialBackoff();

    /** Upper bound of a retry delay. */
    @WithDefault("10S")
    Duration maxBackoff();

    /** Sends per second per business number (Meta's default throughput is 80/s). */
    @WithDefault("80")
    int perNumberRate();

    /** Messages a person may receive back to back before pacing sets in. */
    @WithDefault("10")
    int perUserBurst();

    /** Spacing of messages to one person once the burst is used (Meta: about 1 per 6 s). */
    @WithDefault("6S")
    Duration perUserInterval();

    /** Conversations served concurrently; each conversation's parts stay in order. */
    @WithDefault("16")
    int concurrency();

    /** Customer-service window after the person's last message; outside it only templates go. */
    @WithDefault("24H")
    Duration serviceWindow();
  }
}

package dev.switchboard.voice.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Everything channel-voice can be told, under {@code switchboard.voice}. */
@ConfigMapping(prefix = "switchboard.voice")
public interface VoiceConfig {

  Sip sip();

  Rtp rtp();

  Calls calls();

  Security security();

  Media media();

  /**
   * This node's number: it reads partition N of {@code conversation.outbound.voice} and writes N
   * into every reply route (env {@code SWITCHBOARD_VOICE_NODE_NUMBER}).
   */
  @WithDefault("0")
  int nodeNumber();

  /** This node's name: the reply route's channel address and the RTCP CNAME. */
  @WithDefault("voice-0")
  String nodeName();

  /** The conversation a call holds with the assistant (used when the test mode is {@code off}). */
  Conversation conversation();

  /** SIP signalling. */
  /** SIP over TLS: a listener of its own with a configured key store. */
  interface Tls {
    /** Listen on TLS (needs {@code key-store}). */
    @WithDefault("false")
    boolean enabled();

    /** Port for TLS; 0 picks a free one (tests). */
    @WithDefault("5061")
    int port();

    /** Path of the key store holding our certificate and private key. */
    Optional<String> keyStore();

    /** Its password; in production from SWITCHBOARD_VOICE_SIP_TLS_KEY_STORE_PASSWORD. */
    Optional<String> keyStorePassword();

    /** PKCS12 or JKS. */
    @WithDefault("PKCS12")
    String keyStoreType();

    /**
     * Trust store for TLS connections we open ourselves (a BYE to a proxy whose connection closed);
     * the JVM's default trust when absent.
     */
    Optional<String> trustStore();

    /** The trust store's password. */
    Optional<String> trustStorePassword();
  }

  interface Sip {
    /** Address the UDP and TCP listeners bind to. */
    @WithDefault("0.0.0.0")
    String bindHost();

    /** Port for UDP and TCP (same number for both); 0 picks a free one (tests). */
    @WithDefault("5060")
    int port();

    /**
     * Host written in Via, Contact and SDP c= lines. Must be reachable by the peers; defaults to
     * the bind host, or 127.0.0.1 when binding to every interface.
     */
    Optional<String> advertisedHost();

    /** Listen on UDP. */
    @WithDefault("true")
    boolean udp();

    /** Listen on TCP. */
    @WithDefault("true")
    boolean tcp();

    /**
     * Messages larger than this (bytes) that would go to a UDP peer go over TCP to the same address
     * instead (RFC 3261 §18.1.1), falling back to UDP when no connection can be made; 0 turns the
     * switch off.
     */
    @WithDefault("1300")
    int udpSizeThreshold();

    /** SIP over TLS for trunks that require it (RFC 3261 §26.3.1). */
    Tls tls();

    /**
     * Largest message accepted (bytes); bigger datagrams get 513, bigger TCP messages close the
     * connection.
     */
    @WithDefault("65535")
    int maxMessageBytes();

    /** Most header lines in one message. */
    @WithDefault("128")
    int maxHeaders();

    /** Longest header line (bytes, also after unfolding). */
    @WithDefault("8192")
    int maxLineLength();

    /** RFC 3261 T1 (round-trip estimate). */
    @WithDefault("500ms")
    Duration t1();

    /** RFC 3261 T2 (maximum retransmit interval). */
    @WithDefault("4s")
    Duration t2();

    /** RFC 3261 T4 (maximum message lifetime). */
    @WithDefault("5s")
    Duration t4();

    /** Server and User-Agent header. */
    @WithDefault("Switchboard")
    String userAgent();

    /**
     * Session interval (RFC 4028) asked for when the caller supports timers and sent none; 0 = off.
     */
    @WithDefault("1800")
    int sessionExpires();

    /** Smallest session interval accepted (Min-SE); smaller requests get 422. */
    @WithDefault("90")
    int minSessionExpires();
  }

  /** RTP media ports and codecs. */
  interface Rtp {
    /** Lowest RTP port handed out (even ports; the odd one above is RTCP). */
    @WithDefault("20000")
    int portMin();

    /** Highest RTP port. */
    @WithDefault("30000")
    int portMax();

    /** Codecs in preference order: PCMU and/or PCMA. */
    @WithDefault("PCMU,PCMA")
    List<String> codecs();

    /** Payload type we offer for telephone-event (RFC 4733). */
    @WithDefault("101")
    int telephoneEventPayloadType();

    /** Packet time in ms. */
    @WithDefault("20")
    int ptime();
  }

  /** Call admission and policy. */
  interface Calls {
    /** Concurrent calls per node; beyond it INVITEs get 503 with Retry-After. */
    @WithDefault("500")
    int maxConcurrent();

    /** Retry-After seconds on 503. */
    @WithDefault("30")
    int retryAfterSeconds();

    /** On shutdown: how long current calls may continue before we send BYE. */
    @WithDefault("30s")
    Duration drainGrace();

    /** Time between 180 Ringing and 200 OK. */
    @WithDefault("0ms")
    Duration ringTime();

    /** Hard limit per call (BYE when reached); 0 = none. */
    @WithDefault("1h")
    Duration maxDuration();

    /** Refuse callers who withhold their number (433) instead of answering. */
    @WithDefault("false")
    boolean rejectAnonymous();

    /** Region for reading national caller numbers (ISO 3166-1 alpha-2). */
    @WithDefault("US")
    String defaultRegion();

    /** Number or SIP URI a transfer (REFER) sends the caller to. */
    Optional<String> transferTarget();

    /** DTMF digit (via SIP INFO) that starts the transfer. */
    Optional<String> transferDigit();
  }

  /** Who may call. */
  interface Security {
    /** Trunks by name, each with the source networks it calls from. */
    Map<String, Trunk> trunks();

    /** Digest authentication for softphones not on an allow-list. */
    Digest digest();

    /** INVITEs per second one source IP may send (sustained). */
    @WithDefault("20")
    double inviteRatePerSecond();

    /** INVITE burst one source IP may send. */
    @WithDefault("40")
    double inviteBurst();
  }

  /** A SIP trunk. */
  interface Trunk {
    /** Source networks in CIDR notation (IP literals only). */
    List<String> cidrs();
  }

  /** Digest authentication. */
  interface Digest {
    /** Challenge sources that are not allow-listed instead of refusing them. */
    @WithDefault("false")
    boolean enabled();

    /** Realm in challenges. */
    @WithDefault("switchboard")
    String realm();

    /** Users and passwords (from a secret store in production). */
    Map<String, String> users();

    /** Algorithms offered, strongest first. */
    @WithDefault("SHA-256,MD5")
    List<String> algorithms();
  }

  /** What calls do with media, and how the media threads are scheduled. */
  interface Media {
    /**
     * What a call does with audio when no pipeline is installed: {@code echo} sends the caller's
     * RTP back; {@code none} ignores media (signalling benchmarks); {@code off} runs the
     * conversation (Kafka + model-adapter speech).
     */
    @WithDefault("echo")
    String testMode();

    /**
     * SCHED_FIFO priority (1-99) for the shared {@code media-pacer} thread, so it never waits in
     * the CPU run queue behind other work (send jitter); 0 leaves normal scheduling. Needs root or
     * CAP_SYS_NICE and the {@code chrt} tool; when not permitted the node logs a warning and runs
     * with normal scheduling.
     */
    @WithDefault("0")
    int pacerRealtimePriority();
  }

  /** Timers, prompts and speech settings of a call's conversation. */
  interface Conversation {
    /** Caller silence (after we finished speaking) before we ask whether they are still there. */
    @WithDefault("12s")
    Duration silenceTimeout();

    /** How long before the directive's maximum duration the caller is warned. */
    @WithDefault("30s")
    Duration timeLimitWarning();

    /** Sample rate asked of text-to-speech (the playout queue resamples anything else). */
    @WithDefault("8000")
    int ttsSampleRate();

    /** Sample rate sent to speech-to-text. */
    @WithDefault("8000")
    int sttSampleRate();

    /** Spoken after the silence timeout. */
    @WithDefault("Are you still there?")
    String stillTherePrompt();

    /** Spoken before we hang up (silence, time limit). */
    @WithDefault("Thank you for calling. Goodbye.")
    String goodbyePrompt();

    /** Spoken shortly before the time limit. */
    @WithDefault("We will have to end this call in a moment.")
    String timeLimitWarningPrompt();

    /** Spoken when speech synthesis or recognition fails. */
    @WithDefault("Sorry, I am having trouble right now. Please try again.")
    String apologyPrompt();

    /** Event ids remembered per node to drop redelivered outbound events. */
    @WithDefault("10000")
    int dedupeWindow();
  }
}

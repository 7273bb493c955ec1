package dev.switchboard.voice.transport;

import dev.switchboard.voice.call.CallAdmission;
import dev.switchboard.voice.call.CallEndReason;
import dev.switchboard.voice.call.CallMediaHandler;
import dev.switchboard.voice.call.CallerIdentityResolver;
import dev.switchboard.voice.call.InviteTracing;
import dev.switchboard.voice.call.RtpPortAllocator;
import dev.switchboard.voice.call.SipStats;
import dev.switchboard.voice.call.SipUserAgentServer;
import dev.switchboard.voice.call.UserAgentSettings;
import dev.switchboard.voice.config.VoiceConfig;
import dev.switchboard.voice.security.DigestAuthenticator;
import dev.switchboard.voice.security.SipAccessPolicy;
import dev.switchboard.voice.security.SourceRateLimiter;
import dev.switchboard.voice.security.TrunkAllowList;
import dev.switchboard.voice.sip.SipMessageParser;
import dev.switchboard.voice.sip.SipParserLimits;
import dev.switchboard.voice.transaction.TimerValues;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.net.KeyStoreOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Starts the SIP stack on one Vert.x event loop at start-up and drains it at shutdown: no new calls
 * (503 + Retry-After), current calls continue up to the grace period, then BYE.
 */
@ApplicationScoped
public class SipServer {
  private static final Logger LOG = Logger.getLogger(SipServer.class);

  private final VoiceConfig config;
  private final Vertx vertx;
  private final Instance<CallMediaHandler> installedMedia;
  private final MeterRegistry metrics;
  private final OpenTelemetry openTelemetry;
  private final SipStats stats = new SipStats();
  private final CallAdmission admission;
  private final RtpPortAllocator ports;
  private volatile boolean listening;
  private Context context;
  private VertxSipTransport transport;
  private SipUserAgentServer uas;

  public SipServer(
      VoiceConfig config,
      Vertx vertx,
      Instance<CallMediaHandler> installedMedia,
      MeterRegistry metrics,
      OpenTelemetry openTelemetry) {
    this.config = config;
    this.openTelemetry = openTelemetry;
    this.vertx = vertx;
    this.installedMedia = installedMedia;
    this.metrics = metrics;
    this.admission = new CallAdmission(config.calls().maxConcurrent());
    String mediaHost = config.sip().bindHost();
    this.ports =
        new RtpPortAllocator(
            config.rtp().portMin(),
            config.rtp().portMax(),
            port -> RtpPortAllocator.udpPairBindable(mediaHost, port));
  }

  void onStart(@Observes StartupEvent event) throws Exception {
    VoiceConfig.Sip sip = config.sip();
    String advertised =
        sip.advertisedHost()
            .orElse(
                sip.bindHost().equals("0.0.0.0") || sip.bindHost().equals("::")
                    ? "127.0.0.1"
                    : sip.bindHost());
    SipMessageParser parser =
        new SipMessageParser(
            new SipParserLimits(sip.maxMessageBytes(), sip.maxHeaders(), sip.maxLineLength()));
    context = vertx.getOrCreateContext();
    CompletableFuture<Integer> bound = new CompletableFuture<>();
    context.runOnContext(
        v -> {
          transport =
              new VertxSipTransport(vertx, parser, advertised, transportOptions(sip), stats);
          uas =
              new SipUserAgentServer(
                  transport,
                  new VertxSipTimers(vertx),
                  new TimerValues(sip.t1().toMillis(), sip.t2().toMillis(), sip.t4().toMillis()),
                  accessPolicy(),
                  new SourceRateLimiter(
                      config.security().inviteRatePerSecond(),
                      config.security().inviteBurst(),
                      100_000),
                  admission,
                  ports,
                  new CallerIdentityResolver(config.calls().defaultRegion()),
                  settings(advertised),
                  mediaHandler(),
                  stats,
                  task -> context.runOnContext(x -> task.run()),
                  new InviteTracing(openTelemetry.getTracer(InviteTracing.INSTRUMENTATION)));
          transport.attach(uas);
          transport
              .listen(sip.bindHost(), sip.port(), sip.udp(), sip.tcp())
              .onSuccess(bound::complete)
              .onFailure(bound::completeExceptionally);
        });
    int port = bound.get(30, TimeUnit.SECONDS);
    listening = true;
    registerMetrics();
    LOG.infof(
        "SIP listening on %s:%d (%s%s)%s, advertised as %s; up to %d calls",
        sip.bindHost(),
        port,
        sip.udp() ? "udp " : "",
        sip.tcp() ? "tcp" : "",
        sip.tls().enabled() ? ", tls on " + transport.tlsPort() : "",
        advertised,
        admission.maxConcurrentCalls());
  }

  /** The TLS listener and client from the configured stores; TLS stays off unless enabled. */
  static SipTransportOptions transportOptions(VoiceConfig.Sip sip) {
    VoiceConfig.Tls tls = sip.tls();
    // The peer's certificate must name the host we connect to (subjectAltName, as HTTPS checks it).
    NetClientOptions client =
        new NetClientOptions()
            .setSsl(true)
            .setHostnameVerificationAlgorithm("HTTPS")
            .setConnectTimeout(2000);
    tls.trustStore()
        .ifPresent(
            path ->
                client.setTrustOptions(
                    new KeyStoreOptions()
                        .setType(tls.keyStoreType())
                        .setPath(path)
                        .setPassword(tls.trustStorePassword().orElse(null))));
    if (!tls.enabled()) {
      return new SipTransportOptions(sip.udpSizeThreshold(), Optional.empty(), 0, client);
    }
    String keyStore =
        tls.keyStore()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "switchboard.voice.sip.tls.enabled needs switchboard.voice.sip.tls.key-store"));
    NetServerOptions server =
        new NetServerOptions()
            .setSsl(true)
            .setTcpNoDelay(true)
            .setIdleTimeout(15)
            .setIdleTimeoutUnit(TimeUnit.MINUTES)
            .setKeyCertOptions(
                new KeyStoreOptions()
                    .setType(tls.keyStoreType())
                    .setPath(keyStore)
                    .setPassword(tls.keyStorePassword().orElse(null)));
    return new SipTransportOptions(sip.udpSizeThreshold(), Optional.of(server), tls.port(), client);
  }

  void onStop(@Observes ShutdownEvent event) {
    if (uas == null) {
      return;
    }
    admission.startDraining();
    long deadline = System.nanoTime() + config.calls().drainGrace().toNanos();
    LOG.infof(
        "Draining: %d calls may continue for up to %s",
        admission.activeCalls(), config.calls().drainGrace());
    while (admission.activeCalls() > 0 && System.nanoTime() < deadline) {
      sleep(100);
    }
    if (admission.activeCalls() > 0) {
      CompletableFuture<Void> done = new CompletableFuture<>();
      context.runOnContext(
          v -> {
            uas.hangUpAll(CallEndReason.SHUTDOWN);
            done.complete(null);
          });
      done.orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
      sleep(200); // let the BYEs leave the socket
    }
    CompletableFuture<Void> closed = new CompletableFuture<>();
    context.runOnContext(v -> transport.close().onComplete(r -> closed.complete(null)));
    closed.orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
    listening = false;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private SipAccessPolicy accessPolicy() {
    Map<String, List<String>> trunks = new HashMap<>();
    config.security().trunks().forEach((name, trunk) -> trunks.put(name, trunk.cidrs()));
    Optional<DigestAuthenticator> digest = Optional.empty();
    VoiceConfig.Digest d = config.security().digest();
    if (d.enabled()) {
      byte[] key = new byte[32];
      new SecureRandom().nextBytes(key);
      digest = Optional.of(new DigestAuthenticator(d.realm(), d.users(), d.algorithms(), key));
    }
    return new SipAccessPolicy(new TrunkAllowList(trunks), digest);
  }

  private UserAgentSettings settings(String advertised) {
    VoiceConfig.Calls calls = config.calls();
    return new UserAgentSettings(
        config.rtp().codecs(),
        config.rtp().telephoneEventPayloadType(),
        config.rtp().ptime(),
        advertised,
        calls.ringTime().toMillis(),
        calls.retryAfterSeconds(),
        config.sip().sessionExpires(),
        config.sip().minSessionExpires(),
        calls.rejectAnonymous(),
        calls.transferTarget(),
        calls.transferDigit().filter(s -> s.length() == 1).map(s -> s.charAt(0)),
        (int) calls.maxDuration().toSeconds(),
        config.sip().userAgent());
  }

  /** The speech pipeline when one is installed as a bean, else the configured test mode. */
  private CallMediaHandler mediaHandler() {
    if (installedMedia.isResolvable()) {
      return installedMedia.get();
    }
    return switch (config.media().testMode()) {
      case "none" -> CallMediaHandler.NONE;
      case "echo" -> new EchoMediaHandler(vertx, config.sip().bindHost());
      default ->
          throw new IllegalArgumentException(
              "switchboard.voice.media.test-mode must be echo or none");
    };
  }

  private void registerMetrics() {
    Gauge.builder("switchboard.voice.calls.active", admission, CallAdmission::activeCalls)
        .register(metrics);
    Gauge.builder("switchboard.voice.rtp.ports.free", ports, RtpPortAllocator::available)
        .register(metrics);
    // 1 while this node refuses new calls and waits for its calls to end (alerts on fleet share).
    Gauge.builder("switchboard.voice.draining", admission, a -> a.draining() ? 1 : 0)
        .description("1 while the node is draining, else 0")
        .register(metrics);
    counter("switchboard.voice.sip.messages.received", stats.received);
    counter("switchboard.voice.sip.messages.malformed", stats.malformed);
    counter("switchboard.voice.sip.messages.dropped.malformed", stats.malformedDropped);
    counter("switchboard.voice.sip.requests.unauthorized", stats.unauthorized);
    counter(
        "switchboard.voice.sip.responses.suppressed.amplification", stats.amplificationSuppressed);
    counter("switchboard.voice.sip.invites.rate.limited", stats.rateLimited);
    counter("switchboard.voice.calls.rejected.capacity", stats.callsRejectedCapacity);
    counter("switchboard.voice.calls.rejected.draining", stats.callsRejectedDraining);
    counter("switchboard.voice.sip.messages.large.tcp", stats.largeMessagesOverTcp);
    counter("switchboard.voice.sip.messages.large.udp.fallback", stats.largeMessagesOverUdp);
    counter("switchboard.voice.calls.started", stats.callsStarted);
    counter("switchboard.voice.calls.ended", stats.callsEnded);
  }

  private void counter(String name, AtomicLong value) {
    FunctionCounter.builder(name, value, AtomicLong::get).register(metrics);
  }

  public int port() {
    return transport.port();
  }

  /** The TLS port, 0 when TLS is off. */
  public int tlsPort() {
    return transport.tlsPort();
  }

  public boolean listening() {
    return listening;
  }

  public CallAdmission admission() {
    return admission;
  }

  public SipStats stats() {
    return stats;
  }

  public RtpPortAllocator ports() {
    return ports;
  }
}

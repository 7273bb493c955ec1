package dev.switchboard.voice.conversation;

import dev.switchboard.contracts.identity.SubjectIds;
import dev.switchboard.voice.call.CallControl;
import dev.switchboard.voice.call.CallEndReason;
import dev.switchboard.voice.call.CallMediaHandler;
import dev.switchboard.voice.call.CallSession;
import dev.switchboard.voice.call.DtmfEvent;
import dev.switchboard.voice.call.InviteTracing;
import dev.switchboard.voice.client.ModelSpeech;
import dev.switchboard.voice.codec.G711Law;
import dev.switchboard.voice.config.VoiceConfig;
import dev.switchboard.voice.media.CallMedia;
import dev.switchboard.voice.media.CallMediaSettings;
import dev.switchboard.voice.media.SymmetricRtpLatch;
import dev.switchboard.voice.messaging.InboundPublisher;
import dev.switchboard.voice.messaging.OutboundConsumer;
import dev.switchboard.voice.messaging.VoiceEvents;
import dev.switchboard.voice.pacing.PacedScheduler;
import dev.switchboard.voice.pacing.RealtimePriority;
import dev.switchboard.voice.pacing.TickHandOff;
import dev.switchboard.voice.transport.RtpSocket;
import dev.switchboard.voice.transport.RtpTransport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.quarkus.arc.lookup.LookupIfProperty;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The production media handler ({@code switchboard.voice.media.test-mode=off}): on call start it
 * binds the call's RTP/RTCP sockets, builds the call's {@link CallMedia} on the node's shared 20 ms
 * pacer, and tells the core the call started; replies from the core come back through this node's
 * partition of {@code conversation.outbound.voice} and are routed to the call by conversation id.
 */
@ApplicationScoped
@LookupIfProperty(name = "switchboard.voice.media.test-mode", stringValue = "off")
public class ConversationMediaHandler implements CallMediaHandler {
  private static final Logger LOG = Logger.getLogger(ConversationMediaHandler.class);
  private static final long RELATCH_AFTER_NANOS = TimeUnit.SECONDS.toNanos(2);

  private final VoiceConfig config;
  private final InboundPublisher publisher;
  private final OutboundConsumer consumer;
  private final ModelSpeech speech;
  private final MeterRegistry metrics;
  private final OpenTelemetry openTelemetry;
  private final SubjectIds subjectIds;
  private final Map<String, Active> calls = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();
  private PacedScheduler pacer;
  private ScheduledExecutorService timers;
  private ExecutorService pipelineThreads;
  private TickHandOff framesToPipeline;
  private RtpTransport rtp;
  private CallServices services;
  private Counter holds;

  /** A call's media parts. */
  private record Active(
      VoiceCall call,
      CallMedia media,
      PacedScheduler.Registration tick,
      SymmetricRtpLatch<InetSocketAddress> latch) {}

  public ConversationMediaHandler(
      VoiceConfig config,
      InboundPublisher publisher,
      OutboundConsumer consumer,
      ModelSpeech speech,
      MeterRegistry metrics,
      OpenTelemetry openTelemetry,
      @ConfigProperty(name = "switchboard.identity.pepper") String pepper) {
    this.openTelemetry = openTelemetry;
    this.config = config;
    this.publisher = publisher;
    this.consumer = consumer;
    this.speech = speech;
    this.metrics = metrics;
    this.subjectIds = new SubjectIds(pepper);
  }

  @jakarta.annotation.PostConstruct
  void start() {
    pacer = PacedScheduler.twentyMillis();
    pacer.start();
    int realtime = config.media().pacerRealtimePriority();
    if (realtime > 0) {
      RealtimePriority.Result result =
          RealtimePriority.applyWhenStarted(
              "media-pacer", realtime, java.time.Duration.ofSeconds(2));
      if (result instanceof RealtimePriority.Result.NotApplied refused) {
        LOG.warnf(
            "media-pacer keeps normal scheduling (wanted SCHED_FIFO %d): %s",
            realtime, refused.reason());
      } else {
        LOG.infof("media-pacer runs SCHED_FIFO priority %d", realtime);
      }
    }
    try {
      rtp = RtpTransport.start("media-rtp-in");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot open the RTP selector", e);
    }
    timers = Executors.newScheduledThreadPool(1, daemon("voice-call-timers"));
    pipelineThreads =
        Executors.newFixedThreadPool(
            Math.max(2, Runtime.getRuntime().availableProcessors()), daemon("voice-pipeline"));
    // The frames the pacer takes in during one pass reach the pipeline threads as one task.
    framesToPipeline = pacer.handOff(pipelineThreads);
    services =
        CallServices.create(
            publisher,
            new VoiceEvents(config.nodeNumber(), config.nodeName()),
            speech,
            config.conversation(),
            timers,
            pipelineThreads,
            metrics,
            openTelemetry.getTracer(InviteTracing.INSTRUMENTATION));
    Gauge.builder("switchboard.voice.conversations.active", calls, Map::size).register(metrics);
    Gauge.builder(
            "switchboard.voice.calls.on_hold",
            calls,
            c -> c.values().stream().filter(a -> a.call().onHold()).count())
        .description("Calls the caller has put on hold right now")
        .register(metrics);
    holds =
        Counter.builder("switchboard.voice.holds")
            .description("Times a caller put a call on hold")
            .register(metrics);
    registerPacerMetrics(pacer, metrics);
    FunctionCounter.builder(
            "switchboard.voice.pipeline.handoff.failures", framesToPipeline, TickHandOff::failures)
        .description("Receive-pipeline steps handed off by the pacer that failed or were refused")
        .register(metrics);
    FunctionCounter.builder("switchboard.voice.rtp.send.failures", rtp, RtpTransport::sendFailures)
        .description("RTP/RTCP datagrams that could not be sent (socket buffer full or closed)")
        .register(metrics);
    FunctionCounter.builder(
            "switchboard.voice.rtp.receive.failures", rtp, RtpTransport::listenerFailures)
        .description("Received RTP/RTCP datagrams whose handling failed")
        .register(metrics);
    consumer.start(this::route);
    LOG.infof("Conversation media handler on node %d (%s)", config.nodeNumber(), config.nodeName());
  }

  /**
   * The shared pacer's punctuality: every 20 ms send, and those at least 1, 5 and 20 ms late
   * (counters read from its histogram at scrape time, so the pacer thread does no extra work). The
   * share of late sends over an interval bounds the send jitter's p99 there, e.g. p99 is under 5 ms
   * while fewer than 1 % of sends are 5 ms late.
   */
  static void registerPacerMetrics(PacedScheduler pacer, MeterRegistry metrics) {
    FunctionCounter.builder("switchboard.voice.pacer.sends", pacer, p -> p.sendJitter().count())
        .description("RTP frames the shared 20 ms pacer sent")
        .register(metrics);
    for (int ms : new int[] {1, 5, 20}) {
      long nanos = TimeUnit.MILLISECONDS.toNanos(ms);
      FunctionCounter.builder(
              "switchboard.voice.pacer.late.sends", pacer, p -> p.sendJitter().countAtLeast(nanos))
          .description("RTP frames the shared pacer sent at least this late")
          .tag("late_by", ms + "ms")
          .register(metrics);
    }
    FunctionCounter.builder(
            "switchboard.voice.pacer.phase.moves", pacer, PacedScheduler::phaseMoves)
        .description("Calls moved to an earlier send phase so their speech starts sooner")
        .register(metrics);
    FunctionCounter.builder("switchboard.voice.pacer.overruns", pacer, PacedScheduler::overruns)
        .description("Times the pacer fell over 100 ms behind and skipped ahead")
        .register(metrics);
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** Routes a command to its call; false when this node does not hold the call. */
  boolean route(dev.switchboard.contracts.events.OutboundEvent event) {
    Optional<OutboundCommand> command = VoiceEvents.command(event);
    if (command.isEmpty()) {
      return false;
    }
    Active active = calls.get(command.get().callId());
    if (active == null) {
      return false;
    }
    active.call().onCommand(command.get());
    return true;
  }

  @Override
  public void onCallStarted(CallSession session, CallControl control) {
    onCallStarted(session, control, io.opentelemetry.context.Context.root());
  }

  @Override
  public void onCallStarted(
      CallSession session, CallControl control, io.opentelemetry.context.Context trace) {
    Optional<String> e164 = session.caller().e164();
    CallFacts facts =
        new CallFacts(
            session.callId(),
            // Without a number the person is one anonymous call; the core applies its policy.
            e164.map(subjectIds::of)
                .orElseGet(() -> subjectIds.ofIdentity("anonymous-call", session.callId())),
            e164,
            session.calledNumber(),
            session.caller().region(),
            session.caller().anonymous(),
            session.startedAt());
    // The subject id is the only identity a trace shows.
    Span.fromContext(trace).setAttribute(CallTraces.SUBJECT, facts.subjectId());
    VoiceCall call = new VoiceCall(facts, control, services, trace);
    var negotiated = session.media();
    SymmetricRtpLatch<InetSocketAddress> latch =
        new SymmetricRtpLatch<>(
            new InetSocketAddress(negotiated.remoteAddress(), negotiated.remotePort()),
            RELATCH_AFTER_NANOS);
    RtpSocket[] socketHolder = new RtpSocket[1];
    CallMedia media =
        new CallMedia(
            CallMediaSettings.defaults(
                G711Law.forPayloadType(negotiated.payloadType()),
                negotiated.telephoneEventPayloadType(),
                random.nextInt() & 0xFFFFFFFFL,
                "voice@" + config.nodeName()),
            call.traced(
                speech.recognizer(config.conversation().sttSampleRate(), "", call.transcripts())),
            (data, length) -> {
              RtpSocket s = socketHolder[0];
              if (s != null) {
                s.sendRtp(data, length, remote(latch));
              }
            },
            (data, length) -> {
              RtpSocket s = socketHolder[0];
              InetSocketAddress rtp = remote(latch);
              if (s != null && rtp != null) {
                s.sendRtcp(
                    data, length, new InetSocketAddress(rtp.getAddress(), rtp.getPort() + 1));
              }
            },
            call::onPipelineFrame,
            framesToPipeline,
            call::onFirstPacket,
            System::currentTimeMillis,
            random);
    call.attach(media);
    // Registered before binding: datagrams may arrive as soon as the port is bound.
    socketHolders.put(session.callId(), socketHolder);
    PacedScheduler.Registration tick = pacer.register(media);
    // A reply or prompt after silence starts on the next millisecond, not the call's next slot.
    media.playout().onAudioAfterSilence(tick::expedite);
    calls.put(session.callId(), new Active(call, media, tick, latch));
    String bindHost = config.sip().bindHost();
    try {
      RtpSocket socket =
          rtp.bind(
              bindHost,
              negotiated.localPort(),
              (data, source, nanos) -> {
                synchronized (latch) {
                  media.onRtp(
                      data,
                      0,
                      data.length,
                      nanos,
                      (ssrc, seq, t) -> latch.accept(source, ssrc, seq, t));
                }
              },
              (data, source, nanos) -> media.onRtcp(data, 0, data.length, nanos));
      socketHolder[0] = socket;
      if (!calls.containsKey(session.callId())) {
        socket.close(); // the call ended while we were binding
      }
    } catch (java.io.IOException e) {
      LOG.errorf(
          "Call of subject %s: cannot bind RTP port %d: %s",
          facts.subjectId(), negotiated.localPort(), e.getMessage());
      control.hangUp(session.callId(), CallEndReason.WE_HUNG_UP);
      return;
    }
    call.publishStarted();
  }

  private final Map<String, RtpSocket[]> socketHolders = new ConcurrentHashMap<>();

  private static InetSocketAddress remote(SymmetricRtpLatch<InetSocketAddress> latch) {
    synchronized (latch) {
      return latch.remote();
    }
  }

  /**
   * A re-INVITE or UPDATE (already answered by signalling) changed the call's media. The socket
   * stays; we follow a new remote address (re-latching there) and a new codec, and put the call on
   * hold or resume it: on hold we send no RTP, pause playback where it is, stop listening and
   * suspend the silence timeout; the maximum duration keeps counting.
   */
  @Override
  public void onMediaChanged(CallSession session) {
    Active active = calls.get(session.callId());
    if (active == null) {
      return;
    }
    var negotiated = session.media();
    if (!"0.0.0.0".equals(negotiated.remoteAddress())) { // RFC 2543 hold keeps the old address
      InetSocketAddress signalled =
          new InetSocketAddress(negotiated.remoteAddress(), negotiated.remotePort());
      boolean moved;
      synchronized (active.latch()) {
        moved = active.latch().resignal(signalled);
      }
      if (moved) {
        LOG.infof(
            "Call %s: the caller's media moved; sending to the new address", session.callId());
      }
    }
    G711Law law = G711Law.forPayloadType(negotiated.payloadType());
    if (law != null) {
      active.media().changeLaw(law);
    }
    boolean hold = negotiated.onHold();
    if (active.call().hold(hold)) {
      if (hold) {
        holds.increment();
      }
      LOG.infof("Call %s %s", session.callId(), hold ? "put on hold by the caller" : "resumed");
    }
  }

  @Override
  public void onDtmf(CallSession session, DtmfEvent event) {
    Active active = calls.get(session.callId());
    if (active != null) {
      active.media().onSignalledDtmf(event.digit(), event.durationMs());
    }
  }

  @Override
  public void onCallEnded(CallSession session, CallEndReason reason) {
    Active active = calls.remove(session.callId());
    RtpSocket[] socket = socketHolders.remove(session.callId());
    if (active == null) {
      return; // never started: the core never heard of it
    }
    active.tick().cancel();
    active.media().end(reason.name());
    if (socket != null && socket[0] != null) {
      socket[0].close();
    }
    active.call().end(reason);
    logSummary(session, reason, active);
  }

  /** One line per call: enough to tell where a silent call lost the caller (ids, never numbers). */
  private static void logSummary(CallSession session, CallEndReason reason, Active active) {
    var stats = active.media().stats();
    long foreign;
    boolean latched;
    synchronized (active.latch()) {
      foreign = active.latch().rejectedCount();
      latched = active.latch().isLatched();
    }
    long parseDrops = stats.parseDrops().values().stream().mapToLong(Long::longValue).sum();
    LOG.infof(
        "call ended call=%s subject=%s reason=%s seconds=%d rtp_in=%d rtp_out=%d lost=%d"
            + " latched=%s foreign=%d malformed=%d %s",
        session.callId(),
        active.call().facts().subjectId(),
        reason.name().toLowerCase(java.util.Locale.ROOT),
        java.time.Duration.between(session.startedAt(), java.time.Instant.now()).toSeconds(),
        stats.packetsReceived(),
        stats.packetsSent(),
        stats.cumulativeLost(),
        latched,
        foreign,
        parseDrops,
        active.call().tally());
  }

  @PreDestroy
  void stop() {
    consumer.stop();
    if (pacer != null) {
      pacer.close();
    }
    if (rtp != null) {
      rtp.close();
    }
    if (timers != null) {
      timers.shutdownNow();
      pipelineThreads.shutdownNow();
    }
  }
}

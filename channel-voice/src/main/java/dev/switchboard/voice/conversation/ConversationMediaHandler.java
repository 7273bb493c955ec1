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
import dev.switchboard.voice.transport.RtpSocket;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.quarkus.arc.lookup.LookupIfProperty;
import io.vertx.core.Vertx;
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
  private final Vertx vertx;
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
  private CallServices services;

  /** A call's media parts. */
  private record Active(VoiceCall call, CallMedia media, PacedScheduler.Registration tick) {}

  public ConversationMediaHandler(
      VoiceConfig config,
      Vertx vertx,
      InboundPublisher publisher,
      OutboundConsumer consumer,
      ModelSpeech speech,
      MeterRegistry metrics,
      OpenTelemetry openTelemetry,
      @ConfigProperty(name = "switchboard.identity.pepper") String pepper) {
    this.openTelemetry = openTelemetry;
    this.config = config;
    this.vertx = vertx;
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
    timers = Executors.newScheduledThreadPool(1, daemon("voice-call-timers"));
    pipelineThreads =
        Executors.newFixedThreadPool(
            Math.max(2, Runtime.getRuntime().availableProcessors()), daemon("voice-pipeline"));
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
    consumer.start(this::route);
    LOG.infof("Conversation media handler on node %d (%s)", config.nodeNumber(), config.nodeName());
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
            pipelineThreads,
            call::onFirstPacket,
            System::currentTimeMillis,
            random);
    call.attach(media);
    // Registered before binding: the bind may complete synchronously on this event loop.
    socketHolders.put(session.callId(), socketHolder);
    calls.put(session.callId(), new Active(call, media, pacer.register(media)));
    String bindHost = config.sip().bindHost();
    RtpSocket.bind(
            vertx,
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
            (data, source, nanos) -> media.onRtcp(data, 0, data.length, nanos))
        .onSuccess(
            socket -> {
              socketHolder[0] = socket;
              if (!calls.containsKey(session.callId())) {
                socket.close(); // the call ended while we were binding
              }
            })
        .onFailure(
            e -> {
              LOG.errorf(
                  "Call of subject %s: cannot bind RTP port %d: %s",
                  facts.subjectId(), negotiated.localPort(), e.getMessage());
              control.hangUp(session.callId(), CallEndReason.WE_HUNG_UP);
            });
    call.publishStarted();
  }

  private final Map<String, RtpSocket[]> socketHolders = new ConcurrentHashMap<>();

  private static InetSocketAddress remote(SymmetricRtpLatch<InetSocketAddress> latch) {
    synchronized (latch) {
      return latch.remote();
    }
  }

  @Override
  public void onMediaChanged(CallSession session) {
    // Hold/resume and codec changes keep the call's socket and media; the latch follows the caller.
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
  }

  @PreDestroy
  void stop() {
    consumer.stop();
    if (pacer != null) {
      pacer.close();
    }
    if (timers != null) {
      timers.shutdownNow();
      pipelineThreads.shutdownNow();
    }
  }
}

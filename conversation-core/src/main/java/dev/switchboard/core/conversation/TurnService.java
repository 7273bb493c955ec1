package dev.switchboard.core.conversation;

import dev.switchboard.core.client.ModelCall;
import dev.switchboard.core.client.ModelClient;
import dev.switchboard.core.config.CoreBeans;
import dev.switchboard.core.config.CoreConfig;
import dev.switchboard.core.messaging.ReplyPublisher;
import dev.switchboard.core.persistence.ConversationStore;
import dev.switchboard.core.persistence.GroupedContextReader;
import dev.switchboard.core.persistence.TurnCommitter;
import dev.switchboard.core.persistence.TurnContextReader;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Answers what people say. For each batch of messages: skip what was processed before (and
 * republish what was never confirmed), apply policy (block, rate limit, "start over", "delete my
 * data"), else build the prompt, call the model, store the turns with the processed event ids in
 * one transaction, then publish the reply (whole on WhatsApp, sentence by sentence on voice) and
 * the transcript. The returned stage completes only when all of that is durable.
 */
@ApplicationScoped
public class TurnService {
  private static final Logger LOG = Logger.getLogger(TurnService.class);

  private final ConversationStore store;
  private final TurnContextReader reader;
  private final GroupedContextReader groupReader;
  private final TurnCommitter committer;
  private final ModelClient model;
  private final PromptBuilder prompts;
  private final ReplyPublisher publisher;
  private final ExecutorService database;
  private final ScheduledExecutorService timer;
  private final CoreConfig config;
  private final MeterRegistry metrics;
  private final InFlightTurns inFlight;
  private final RateLimiter rateLimiter;
  private final Timer addedLatency;

  public TurnService(
      ConversationStore store,
      TurnContextReader reader,
      GroupedContextReader groupReader,
      TurnCommitter committer,
      ModelClient model,
      PromptBuilder prompts,
      ReplyPublisher publisher,
      @Named(CoreBeans.DATABASE_EXECUTOR) ExecutorService database,
      @Named(CoreBeans.TIMER) ScheduledExecutorService timer,
      CoreConfig config,
      MeterRegistry metrics,
      InFlightTurns inFlight,
      RateLimiter rateLimiter) {
    this.store = store;
    this.reader = reader;
    this.groupReader = groupReader;
    this.committer = committer;
    this.model = model;
    this.prompts = prompts;
    this.publisher = publisher;
    this.database = database;
    this.timer = timer;
    this.config = config;
    this.metrics = metrics;
    this.inFlight = inFlight;
    this.rateLimiter = rateLimiter;
    this.addedLatency =
        Timer.builder("switchboard.core.turn.first_output")
            .description("From taking an event to the first reply record confirmed by Kafka")
            .publishPercentiles(0.5, 0.95, 0.99)
            .register(metrics);
  }

  /** Answers one or more messages of one conversation as a single turn. */
  public CompletionStage<Void> answer(List<InboundCommand.UserSaid> batch) {
    Instant started = Instant.now();
    boolean preparable =
        batch.stream().anyMatch(InboundCommand.UserSaid::expectsReply)
            && batch.stream()
                .noneMatch(
                    s ->
                        UserCommands.of(s.text()).orElse(null)
                            == UserCommands.Command.DELETE_MY_DATA);
    // Read together with the other turns waiting to start; the turn goes on on a database thread
    // in this turn's trace context.
    return groupReader
        .checkAndPrepare(
            ids(batch.stream().map(InboundCommand::meta).toList()),
            batch.get(batch.size() - 1).meta(),
            started,
            preparable,
            Context.current().wrap(database))
        .thenCompose(
            checked ->
                checked.processed().isEmpty()
                    ? CompletableFuture.completedFuture(split(batch, checked, started))
                    // Repeats look up what was done before: blocking, so on a database thread.
                    : CompletableFuture.supplyAsync(() -> split(batch, checked, started), database))
        .thenCompose(
            split -> {
              List<CompletableFuture<Void>> work = new ArrayList<>();
              split.redelivered().forEach(r -> work.add(completeAgain(r.said(), r.state())));
              if (!split.fresh().isEmpty()) {
                work.add(
                    answerFresh(split.fresh(), split.started(), split.prepared())
                        .toCompletableFuture());
              }
              return CompletableFuture.allOf(work.toArray(CompletableFuture[]::new));
            });
  }

  private record Redelivered(InboundCommand.UserSaid said, ProcessedState state) {}

  /**
   * The batch cut into new and already processed events. For the usual batch (all new, not "delete
   * my data", replies wanted) the turn was prepared by the same group read. The prepared turn is
   * null otherwise.
   */
  private record Split(
      List<InboundCommand.UserSaid> fresh,
      List<Redelivered> redelivered,
      Instant started,
      PreparedTurn prepared) {}

  private Split split(
      List<InboundCommand.UserSaid> batch, TurnContextReader.Checked checked, Instant started) {
    List<InboundCommand.UserSaid> fresh = new ArrayList<>();
    List<Redelivered> redelivered = new ArrayList<>();
    for (InboundCommand.UserSaid said : batch) {
      Optional<ProcessedState> state =
          checked.processed().contains(said.meta().eventId())
              ? store.processed(said.meta().eventId())
              : Optional.empty();
      if (state.isPresent()) {
        redelivered.add(new Redelivered(said, state.get()));
      } else {
        fresh.add(said);
      }
    }
    return new Split(fresh, redelivered, started, checked.prepared());
  }

  /** A redelivery: nothing new happens, but unconfirmed publications are repeated. */
  private CompletableFuture<Void> completeAgain(
      InboundCommand.UserSaid said, ProcessedState state) {
    metrics.counter("switchboard.core.events.redelivered").increment();
    LOG.debugf(
        "Redelivered event %s (published %s, outcome %s)",
        said.meta().eventId(), state.published(), state.outcome());
    if (state.published()) {
      return CompletableFuture.completedFuture(null);
    }
    EventMeta meta = said.meta();
    CompletionStage<Void> republished =
        switch (state.outcome()) {
          case TURN ->
              state.turn().isPresent()
                  ? publishTurn(List.of(said), state.turn().get(), Optional.empty())
                  : CompletableFuture.completedFuture(null);
          case FIXED_REPLY -> sendFixed(said, state.replyText());
          case ERASURE ->
              publisher.erasure(meta).thenCompose(v -> sendFixed(said, state.replyText()));
          default -> CompletableFuture.completedFuture(null);
        };
    return republished
        .thenRun(() -> committer.markPublished(List.of(meta.eventId())))
        .toCompletableFuture();
  }

  private CompletionStage<Void> answerFresh(
      List<InboundCommand.UserSaid> batch, Instant started, PreparedTurn preparedEarlier) {
    InboundCommand.UserSaid last = batch.get(batch.size() - 1);
    EventMeta meta = last.meta();
    List<EventMeta> metas = batch.stream().map(InboundCommand::meta).toList();
    boolean wantsReply = batch.stream().anyMatch(InboundCommand.UserSaid::expectsReply);
    if (!wantsReply) {
      return CompletableFuture.runAsync(
          () -> {
            store.recordFixedReply(metas, null, started);
            committer.markPublished(ids(metas));
          },
          database);
    }
    Optional<UserCommands.Command> command =
        batch.stream()
            .map(s -> UserCommands.of(s.text()))
            .flatMap(Optional::stream)
            .reduce((a, b) -> a == UserCommands.Command.DELETE_MY_DATA ? a : b);
    if (command.isPresent() && command.get() == UserCommands.Command.DELETE_MY_DATA) {
      return erase(last, metas, started);
    }
    if (meta.channel() == ChannelKind.WHATSAPP) {
      RateLimiter.Verdict verdict = RateLimiter.Verdict.ALLOWED;
      for (InboundCommand.UserSaid said : batch) {
        RateLimiter.Verdict v = rateLimiter.check(meta.subjectId(), started);
        if (v != RateLimiter.Verdict.ALLOWED && verdict != RateLimiter.Verdict.LIMITED_NOTIFY) {
          verdict = v;
        }
      }
      if (verdict != RateLimiter.Verdict.ALLOWED) {
        metrics.counter("switchboard.core.rate_limited").increment();
        return fixedReply(
            last,
            metas,
            verdict == RateLimiter.Verdict.LIMITED_NOTIFY ? texts().rateLimited() : null,
            started);
      }
    }
    CompletableFuture<PreparedTurn> preparing =
        preparedEarlier != null
            ? CompletableFuture.completedFuture(preparedEarlier)
            : CompletableFuture.supplyAsync(() -> reader.prepare(meta, started), database);
    return preparing.thenCompose(
        prepared -> {
          if (prepared.blocked()) {
            metrics.counter("switchboard.core.blocked_replies").increment();
            return fixedReply(last, metas, texts().blocked(), started);
          }
          if (command.isPresent()) {
            String text = texts().startedOver();
            return CompletableFuture.runAsync(() -> store.startOver(metas, text, started), database)
                .thenCompose(v -> sendFixed(last, text))
                .thenRun(() -> committer.markPublished(ids(metas)));
          }
          return modelTurn(batch, prepared, started);
        });
  }

  private CompletionStage<Void> modelTurn(
      List<InboundCommand.UserSaid> batch, PreparedTurn prepared, Instant started) {
    InboundCommand.UserSaid last = batch.get(batch.size() - 1);
    EventMeta meta = last.meta();
    String userText =
        batch.stream().map(InboundCommand.UserSaid::text).collect(Collectors.joining("\n"));
    List<PromptMessage> prompt =
        prompts.build(
            meta.channel(), prepared.history(), userText, last.locale(), last.timeZone(), started);
    boolean voice = meta.channel() == ChannelKind.VOICE;
    StreamingReply streaming = voice ? new StreamingReply(meta, last.language(), started) : null;
    InFlightTurns.Active active = inFlight.begin(meta.conversationKey(), meta.eventId());
    // The commit completes on the committer's thread: the reply and transcript are published in
    // the turn's trace context, not in whatever that thread carries.
    Context turnContext = Context.current();
    return generate(meta, prompt, active, streaming)
        .thenCompose(
            answer -> {
              inFlight.end(meta.conversationKey(), active);
              Instant completed = Instant.now();
              boolean disclose = prepared.disclosureDue() && !voice;
              // Stopped mid-generation by a caller who said what they heard: that is the turn.
              String answered =
                  active.interrupted() && active.heardText() != null
                      ? active.heardText()
                      : answer.text();
              String text = disclose ? disclosure() + "\n\n" + answered : answered;
              StoredTurn turn =
                  new StoredTurn(
                      meta.eventId(),
                      prepared.nextTurnIndex() + batch.size(),
                      userText,
                      text,
                      answer.model(),
                      last.language(),
                      active.interrupted(),
                      started,
                      completed);
              if (streaming != null) {
                // The caller is waiting on the line: the last sentence goes out now, not after the
                // commit's disk flush, like the sentences streamed before it. A crash before the
                // commit makes the redelivery answer again with the same chunk ids, which the
                // channel drops; the transcript still waits for the commit.
                streaming.finish(turn.interrupted(), turn.assistantText());
              }
              long latencyMs = Duration.between(started, completed).toMillis();
              List<String> texts = batch.stream().map(InboundCommand.UserSaid::text).toList();
              List<String> media =
                  batch.stream()
                      .map(s -> s.mediaRefs().isEmpty() ? null : String.join("\n", s.mediaRefs()))
                      .toList();
              return committer
                  .commit(
                      new TurnCommitter.TurnRecord(
                          batch.stream().map(InboundCommand::meta).toList(),
                          texts,
                          media,
                          prepared.conversationId(),
                          turn,
                          answer.inputTokens(),
                          answer.outputTokens(),
                          latencyMs,
                          disclose))
                  .thenCompose(
                      stored -> {
                        try (Scope scope = turnContext.makeCurrent()) {
                          return publishTurn(batch, turn, Optional.ofNullable(streaming));
                        }
                      });
            });
  }

  /**
   * The model's answer; an apology when the gateway fails or misses the deadline (whole answer on
   * WhatsApp, first sentence on voice); what was said so far when the person interrupted.
   */
  private CompletionStage<ModelAnswer> generate(
      EventMeta meta,
      List<PromptMessage> prompt,
      InFlightTurns.Active active,
      StreamingReply streaming) {
    boolean voice = streaming != null;
    Context traced = Context.current();
    Duration deadline =
        voice
            ? config.core().modelCall().voiceDeadline()
            : config.core().modelCall().whatsappDeadline();
    StringBuilder soFar = new StringBuilder();
    AtomicBoolean firstOutput = new AtomicBoolean();
    AtomicBoolean timedOut = new AtomicBoolean();
    ModelCall call =
        model.generate(
            meta.conversationKey(),
            prompt,
            delta -> {
              synchronized (soFar) {
                soFar.append(delta);
              }
              if (voice && !active.stopped()) {
                firstOutput.set(true);
                streaming.add(delta);
              }
            });
    inFlight.attach(active, call);
    timer.schedule(
        () -> {
          boolean late = voice ? !firstOutput.get() : !call.answer().isDone();
          if (late && !call.answer().isDone()) {
            timedOut.set(true);
            call.cancel();
          }
        },
        deadline.toMillis(),
        TimeUnit.MILLISECONDS);
    return call.answer()
        .handle(
            (answer, failure) -> {
              if (failure == null && !answer.text().isBlank()) {
                return answer;
              }
              if (active.stopped()) {
                metrics.counter("switchboard.core.turns.interrupted").increment();
                String partial;
                synchronized (soFar) {
                  partial = soFar.toString();
                }
                return new ModelAnswer(partial, "", 0, 0);
              }
              boolean overLimit =
                  failure != null
                      && io.grpc.Status.fromThrowable(failure).getCode()
                          == io.grpc.Status.Code.DEADLINE_EXCEEDED;
              String cause =
                  timedOut.get()
                      ? "deadline"
                      : overLimit
                          ? "generation_limit"
                          : failure == null
                              ? "empty"
                              : rootCause(failure).getClass().getSimpleName();
              metrics
                  .counter(
                      "switchboard.core.model.failures",
                      "channel",
                      meta.channel().name().toLowerCase(),
                      "cause",
                      cause)
                  .increment();
              LOG.warnf(
                  "Model call failed for subject %s (%s); sending the apology",
                  meta.subjectId(), timedOut.get() ? "deadline " + deadline : rootCause(failure));
              String apology = config.core().modelCall().apology();
              String spoken;
              synchronized (soFar) {
                spoken = voice && firstOutput.get() ? soFar.toString() : "";
              }
              if (!spoken.isBlank()) {
                // The caller already heard the start of the answer: the apology ends it.
                streaming.add(" " + apology);
                return new ModelAnswer(spoken + " " + apology, "apology", 0, 0);
              }
              return new ModelAnswer(apology, "apology", 0, 0);
            })
        // The answer completes on a gRPC thread: what follows (store, reply) stays in this turn's
        // trace.
        .thenApplyAsync(answer -> answer, traced.wrap((Executor) Runnable::run));
  }

  /** Publishes the reply (unless already streamed), the transcript, then marks them confirmed. */
  private CompletionStage<Void> publishTurn(
      List<InboundCommand.UserSaid> batch, StoredTurn turn, Optional<StreamingReply> streamed) {
    InboundCommand.UserSaid last = batch.get(batch.size() - 1);
    EventMeta meta = last.meta();
    CompletableFuture<Void> reply;
    if (meta.channel() == ChannelKind.WHATSAPP) {
      reply =
          publisher
              .wholeReply(meta, turn.assistantText(), turn.language(), last.providerMessageId())
              .toCompletableFuture();
      reply.thenRun(() -> recordFirstOutput(turn.startedAt()));
    } else if (streamed.isPresent()) {
      reply = streamed.get().finish(turn.interrupted(), turn.assistantText());
    } else {
      reply =
          new StreamingReply(meta, turn.language(), turn.startedAt())
              .finish(turn.interrupted(), turn.assistantText());
    }
    CompletableFuture<Void> transcript =
        publisher.transcript(new Transcript(meta, turn)).toCompletableFuture();
    return CompletableFuture.allOf(reply, transcript)
        .thenRun(
            () -> committer.markPublished(ids(batch.stream().map(InboundCommand::meta).toList())))
        .thenRun(
            () ->
                metrics
                    .counter(
                        "switchboard.core.turns", "channel", meta.channel().name().toLowerCase())
                    .increment());
  }

  /**
   * A voice reply cut into sentences; each is published as a chunk as soon as it is complete, and
   * the rest (possibly empty) as the last chunk when the stream ends.
   */
  private final class StreamingReply {
    private final EventMeta meta;
    private final String language;
    private final Instant started;
    private final SentenceSplitter splitter = new SentenceSplitter();
    private final AtomicInteger index = new AtomicInteger();
    private final List<CompletableFuture<Void>> sent = new ArrayList<>();
    private CompletableFuture<Void> finished;

    StreamingReply(EventMeta meta, String language, Instant started) {
      this.meta = meta;
      this.language = language;
      this.started = started;
    }

    synchronized void add(String delta) {
      for (String sentence : splitter.add(delta)) {
        CompletableFuture<Void> published =
            publisher
                .chunk(meta, index.getAndIncrement(), sentence, language, false)
                .toCompletableFuture();
        if (sent.isEmpty()) {
          published.thenRun(() -> recordFirstOutput(started));
        }
        sent.add(published);
      }
    }

    /**
     * Ends the reply. When nothing was streamed (apology, or a republish) the whole text goes out
     * now. An interrupted reply gets no further chunks: the caller stopped listening. Only the
     * first call publishes; later ones return the same outcome.
     */
    synchronized CompletableFuture<Void> finish(boolean interrupted, String wholeText) {
      if (finished == null) {
        finished = publishRest(interrupted, wholeText);
      }
      return finished;
    }

    private CompletableFuture<Void> publishRest(boolean interrupted, String wholeText) {
      if (interrupted) {
        return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new));
      }
      List<String> sentences = new ArrayList<>();
      if (index.get() == 0) {
        // Nothing streamed (a one-sentence answer, an apology, a republish): cut it all now.
        SentenceSplitter whole = new SentenceSplitter();
        sentences.addAll(whole.add(wholeText));
        sentences.add(whole.rest());
        sentences.removeIf(String::isEmpty);
        if (sentences.isEmpty()) {
          sentences.add("");
        }
      } else {
        sentences.add(splitter.rest());
      }
      for (int i = 0; i < sentences.size(); i++) {
        CompletableFuture<Void> published =
            publisher
                .chunk(
                    meta,
                    index.getAndIncrement(),
                    sentences.get(i),
                    language,
                    i == sentences.size() - 1)
                .toCompletableFuture();
        if (sent.isEmpty()) {
          published.thenRun(() -> recordFirstOutput(started));
        }
        sent.add(published);
      }
      return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new));
    }
  }

  private CompletionStage<Void> fixedReply(
      InboundCommand.UserSaid last, List<EventMeta> metas, String text, Instant now) {
    return CompletableFuture.runAsync(() -> store.recordFixedReply(metas, text, now), database)
        .thenCompose(
            v -> text == null ? CompletableFuture.completedFuture(null) : sendFixed(last, text))
        .thenRun(() -> committer.markPublished(ids(metas)));
  }

  private CompletionStage<Void> sendFixed(InboundCommand.UserSaid to, String text) {
    if (text == null) {
      return CompletableFuture.completedFuture(null);
    }
    if (to.meta().channel() == ChannelKind.WHATSAPP) {
      return publisher.wholeReply(to.meta(), text, to.language(), to.providerMessageId());
    }
    return publisher.chunk(to.meta(), 0, text, to.language(), true);
  }

  private CompletionStage<Void> erase(
      InboundCommand.UserSaid last, List<EventMeta> metas, Instant now) {
    String confirmation = texts().erased();
    metrics.counter("switchboard.core.erasures").increment();
    LOG.infof("Erasing the data of subject %s on their request", last.meta().subjectId());
    return CompletableFuture.runAsync(() -> store.erase(metas, confirmation, now), database)
        .thenCompose(v -> publisher.erasure(last.meta()))
        .thenCompose(v -> sendFixed(last, confirmation))
        .thenRun(() -> committer.markPublished(ids(metas)));
  }

  /** Personalised fixed texts. */
  public Texts texts() {
    return new Texts(config);
  }

  /** The configured texts with the assistant's name filled in. */
  public static final class Texts implements ConversationStore.Texts {
    private final CoreConfig config;

    Texts(CoreConfig config) {
      this.config = config;
    }

    private String fill(String template) {
      return template.replace("{name}", config.core().assistantName());
    }

    @Override
    public String greeting() {
      return fill(config.core().texts().greeting());
    }

    @Override
    public String blocked() {
      return fill(config.core().texts().blocked());
    }

    @Override
    public String regionNotAllowed() {
      return fill(config.core().texts().regionNotAllowed());
    }

    @Override
    public String quotaExhausted() {
      return fill(config.core().texts().quotaExhausted());
    }

    public String rateLimited() {
      return fill(config.core().texts().rateLimited());
    }

    public String startedOver() {
      return fill(config.core().texts().startedOver());
    }

    public String erased() {
      return fill(config.core().texts().erased());
    }
  }

  private String disclosure() {
    return config.core().texts().disclosure().replace("{name}", config.core().assistantName());
  }

  private void recordFirstOutput(Instant started) {
    addedLatency.record(Duration.between(started, Instant.now()));
  }

  private static List<String> ids(List<EventMeta> metas) {
    return metas.stream().map(EventMeta::eventId).toList();
  }

  private static Throwable rootCause(Throwable t) {
    Throwable cause = t;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause;
  }
}

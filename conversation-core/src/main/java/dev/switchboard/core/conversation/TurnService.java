package dev.switchboard.core.conversation;

import dev.switchboard.core.client.ModelCall;
import dev.switchboard.core.client.ModelClient;
import dev.switchboard.core.config.CoreBeans;
import dev.switchboard.core.config.CoreConfig;
import dev.switchboard.core.messaging.ReplyPublisher;
import dev.switchboard.core.persistence.ConversationStore;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Answers one inbound event: checks whether it was processed before, builds the prompt, calls the
 * model, stores the turn with the processed event id in one transaction, then publishes the reply
 * and the transcript. The returned stage completes only when all of that is durable.
 */
@ApplicationScoped
public class TurnService {
  private static final Logger LOG = Logger.getLogger(TurnService.class);

  private final ConversationStore store;
  private final ModelClient model;
  private final PromptBuilder prompts;
  private final ReplyPublisher publisher;
  private final ExecutorService database;
  private final CoreConfig config;
  private final MeterRegistry metrics;

  public TurnService(
      ConversationStore store,
      ModelClient model,
      PromptBuilder prompts,
      ReplyPublisher publisher,
      @Named(CoreBeans.DATABASE_EXECUTOR) ExecutorService database,
      CoreConfig config,
      MeterRegistry metrics) {
    this.store = store;
    this.model = model;
    this.prompts = prompts;
    this.publisher = publisher;
    this.database = database;
    this.config = config;
    this.metrics = metrics;
  }

  public CompletionStage<Void> handle(InboundCommand command) {
    if (command instanceof InboundCommand.UserSaid said) {
      return onUserSaid(said);
    }
    metrics.counter("switchboard.core.events.ignored", "kind", kind(command)).increment();
    LOG.debugf(
        "No action yet for %s in conversation of subject %s",
        kind(command), command.meta().subjectId());
    return CompletableFuture.completedFuture(null);
  }

  private CompletionStage<Void> onUserSaid(InboundCommand.UserSaid said) {
    EventMeta meta = said.meta();
    return CompletableFuture.supplyAsync(() -> store.processed(meta.eventId()), database)
        .thenCompose(
            state -> state.isPresent() ? completeAgain(meta, said, state.get()) : answer(said));
  }

  /** A redelivery: nothing new happens, but unconfirmed publications are repeated. */
  private CompletionStage<Void> completeAgain(
      EventMeta meta, InboundCommand.UserSaid said, ProcessedState state) {
    metrics.counter("switchboard.core.events.redelivered").increment();
    if (state.published() || state.turn().isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    return publish(meta, said, state.turn().get());
  }

  private CompletionStage<Void> answer(InboundCommand.UserSaid said) {
    EventMeta meta = said.meta();
    Instant started = Instant.now();
    if (!said.expectsReply()) {
      return CompletableFuture.runAsync(() -> store.recordProcessed(meta, started, true), database);
    }
    return CompletableFuture.supplyAsync(() -> store.prepare(meta, started), database)
        .thenCompose(
            prepared -> {
              List<PromptMessage> prompt =
                  prompts.build(meta.channel(), prepared.history(), said.text());
              return generate(meta, prompt)
                  .thenCompose(
                      answer -> {
                        Instant completed = Instant.now();
                        StoredTurn turn =
                            new StoredTurn(
                                meta.eventId(),
                                prepared.nextTurnIndex(),
                                said.text(),
                                answer.text(),
                                answer.model(),
                                said.language(),
                                false,
                                started,
                                completed);
                        long latencyMs = Duration.between(started, completed).toMillis();
                        return CompletableFuture.runAsync(
                                () ->
                                    store.recordTurn(
                                        meta,
                                        prepared.conversationId(),
                                        turn,
                                        said.mediaRefs(),
                                        answer.inputTokens(),
                                        answer.outputTokens(),
                                        latencyMs),
                                database)
                            .thenCompose(stored -> publish(meta, said, turn));
                      });
            });
  }

  /** The model's answer, or an apology when the gateway fails or misses the deadline. */
  private CompletionStage<ModelAnswer> generate(EventMeta meta, List<PromptMessage> prompt) {
    Duration deadline =
        meta.channel() == ChannelKind.VOICE
            ? config.core().modelCall().voiceDeadline()
            : config.core().modelCall().whatsappDeadline();
    ModelCall call = model.generate(meta.conversationKey(), prompt, delta -> {});
    return call.answer()
        .orTimeout(deadline.toMillis(), TimeUnit.MILLISECONDS)
        .handle(
            (answer, failure) -> {
              if (failure == null && !answer.text().isBlank()) {
                return answer;
              }
              call.cancel();
              metrics
                  .counter(
                      "switchboard.core.model.failures",
                      "channel",
                      meta.channel().name().toLowerCase(),
                      "cause",
                      failure == null ? "empty" : rootCause(failure).getClass().getSimpleName())
                  .increment();
              LOG.warnf(
                  "Model call failed for subject %s (%s); sending the apology",
                  meta.subjectId(), failure == null ? "empty answer" : rootCause(failure));
              return new ModelAnswer(config.core().modelCall().apology(), "apology", 0, 0);
            });
  }

  private CompletionStage<Void> publish(
      EventMeta meta, InboundCommand.UserSaid said, StoredTurn turn) {
    CompletableFuture<Void> reply =
        publisher
            .wholeReply(meta, turn.assistantText(), turn.language(), said.providerMessageId())
            .toCompletableFuture();
    CompletableFuture<Void> transcript =
        publisher.transcript(new Transcript(meta, turn)).toCompletableFuture();
    return CompletableFuture.allOf(reply, transcript)
        .thenRunAsync(() -> store.markPublished(meta.eventId()), database)
        .thenRun(
            () ->
                metrics
                    .counter(
                        "switchboard.core.turns", "channel", meta.channel().name().toLowerCase())
                    .increment());
  }

  private static Throwable rootCause(Throwable t) {
    Throwable cause = t;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause;
  }

  private static String kind(InboundCommand command) {
    return command.getClass().getSimpleName();
  }

  static Optional<String> blankToEmpty(String s) {
    return s == null || s.isBlank() ? Optional.empty() : Optional.of(s);
  }
}

package dev.switchboard.core.conversation;

import dev.switchboard.core.config.CoreBeans;
import dev.switchboard.core.messaging.ReplyPublisher;
import dev.switchboard.core.persistence.ConversationStore;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import org.jboss.logging.Logger;

/**
 * Events that are not something the person said: a call starting (answered with a directive), a
 * call ending (usage counted), an interruption, keypad digits. Each is recorded by event id so a
 * redelivery changes nothing.
 */
@ApplicationScoped
public class CallService {
  private static final Logger LOG = Logger.getLogger(CallService.class);

  private final ConversationStore store;
  private final ReplyPublisher publisher;
  private final ExecutorService database;
  private final TurnService turns;
  private final MeterRegistry metrics;

  public CallService(
      ConversationStore store,
      ReplyPublisher publisher,
      @Named(CoreBeans.DATABASE_EXECUTOR) ExecutorService database,
      TurnService turns,
      MeterRegistry metrics) {
    this.store = store;
    this.publisher = publisher;
    this.database = database;
    this.turns = turns;
    this.metrics = metrics;
  }

  public CompletionStage<Void> handle(InboundCommand command) {
    if (command instanceof InboundCommand.CallStart start) {
      return callStarted(start);
    }
    if (command instanceof InboundCommand.CallEnd end) {
      return once(
          end.meta(),
          () -> store.callEnded(end.meta(), end.reason(), end.durationSeconds(), Instant.now()));
    }
    if (command instanceof InboundCommand.Interruption interruption) {
      return interrupted(interruption);
    }
    // Digits are recorded, not answered yet.
    return once(command.meta(), () -> store.recordProcessed(command.meta(), Instant.now()));
  }

  private CompletionStage<Void> callStarted(InboundCommand.CallStart start) {
    EventMeta meta = start.meta();
    return CompletableFuture.supplyAsync(
            () -> {
              Optional<ProcessedState> done = store.processed(meta.eventId());
              if (done.isPresent()) {
                return done.get().published() ? null : CallDecision.decode(done.get().replyText());
              }
              CallDecision decision =
                  store.decideCall(
                      meta,
                      start.callerRegion(),
                      start.callerAnonymous(),
                      Instant.now(),
                      turns.texts());
              metrics
                  .counter(
                      "switchboard.core.calls",
                      "decision",
                      decision.accepted() ? "accept" : decision.refusalReason())
                  .increment();
              LOG.infof(
                  "Call %s of subject %s: %s",
                  start.callId(),
                  meta.subjectId(),
                  decision.accepted()
                      ? "accepted for " + decision.maxSeconds() + " s"
                      : "refused (" + decision.refusalReason() + ")");
              return decision;
            },
            database)
        .thenCompose(
            decision ->
                decision == null
                    ? CompletableFuture.completedFuture(null)
                    : publisher
                        .directive(meta, start.callId(), decision)
                        .thenRunAsync(
                            () -> store.markPublished(List.of(meta.eventId())), database));
  }

  /**
   * The turn in flight was already stopped (and is stored interrupted by its own turn). A reply
   * that was complete gets corrected here: stored as what the caller heard, marked interrupted, and
   * a corrected transcript published for it, once per interruption event (a redelivery after the
   * broker confirmed it publishes nothing; one before republishes the same event id).
   */
  private CompletionStage<Void> interrupted(InboundCommand.Interruption interruption) {
    EventMeta meta = interruption.meta();
    return CompletableFuture.supplyAsync(
            () -> {
              Optional<ProcessedState> done = store.processed(meta.eventId());
              if (done.isPresent()) {
                return done.get().published() ? Optional.<StoredTurn>empty() : done.get().turn();
              }
              Optional<StoredTurn> corrected =
                  store.replyInterrupted(
                      meta,
                      interruption.interruptedReplyTo(),
                      interruption.heardText(),
                      Instant.now());
              corrected.ifPresent(
                  turn -> {
                    metrics.counter("switchboard.core.transcripts.corrected").increment();
                    LOG.infof(
                        "Reply %s of subject %s was talked over after it was complete; stored"
                            + " as heard",
                        turn.inboundEventId(), meta.subjectId());
                  });
              return corrected;
            },
            database)
        .thenCompose(
            corrected ->
                corrected.isEmpty()
                    ? CompletableFuture.completedFuture(null)
                    : publisher
                        .correctedTranscript(meta, corrected.get())
                        .thenRunAsync(
                            () -> store.markPublished(List.of(meta.eventId())), database));
  }

  private CompletionStage<Void> once(EventMeta meta, Runnable record) {
    return CompletableFuture.runAsync(
        () -> {
          if (store.processed(meta.eventId()).isEmpty()) {
            record.run();
          }
        },
        database);
  }
}

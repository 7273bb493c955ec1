package dev.switchboard.core.persistence;

import static dev.switchboard.core.persistence.TurnContextReader.utc;

import dev.switchboard.core.conversation.EventMeta;
import dev.switchboard.core.conversation.StoredTurn;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Group commit of completed turns. One thread takes every turn that is waiting and writes them all
 * (user turns, the answer, the processed event ids, the conversation's last activity and when the
 * person was last seen) in one transaction with one commit that waits for the disk. While it
 * commits, the next turns queue up and go in the next transaction, so under load many conversations
 * share one disk flush, and alone a turn waits for nobody.
 *
 * <p>Each turn's future completes only after the commit that holds it, so nothing is published
 * before it is durable. Turns of one conversation never share a transaction (its lane waits for
 * each turn to be published), so per-conversation order holds. When a group fails, each of its
 * turns is tried again in a transaction of its own, so one bad turn fails alone.
 *
 * <p>"Published" marks (the broker confirmed everything an event caused) ride along in the next
 * transaction instead of costing one each; losing one to a crash only makes a redelivery publish
 * the same event ids again, which the channels and safety review drop as duplicates.
 */
@Singleton
public class TurnCommitter {
  private static final Logger LOG = Logger.getLogger(TurnCommitter.class);
  private static final int MAX_GROUP = 256;

  private static final String INSERT_TURN =
      "insert into core.turn (conversation_id, subject_id, turn_index, role, text, media_refs,"
          + " event_id, model, input_tokens, output_tokens, latency_ms, interrupted, language,"
          + " created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String INSERT_PROCESSED =
      "insert into core.processed_event (event_id, subject_id, processed_at, published, outcome,"
          + " conversation_key) values (?, ?, ?, false, 'turn', ?)";
  private static final String TOUCH_CONVERSATION =
      "update core.conversation set last_activity_at = ? where id = ?";
  private static final String TOUCH_PERSON =
      "update core.person set last_seen_at = greatest(last_seen_at, ?), disclosed_at ="
          + " coalesce(?, disclosed_at) where subject_id = ?";
  private static final String MARK_PUBLISHED =
      "update core.processed_event set published = true where event_id = ?";

  /** A completed turn to store: the person's messages, one user turn each, and the answer. */
  public record TurnRecord(
      List<EventMeta> messages,
      List<String> texts,
      List<String> mediaRefs,
      UUID conversationId,
      StoredTurn answer,
      int inputTokens,
      int outputTokens,
      long latencyMs,
      boolean disclosed) {}

  private sealed interface Work {}

  private record Commit(TurnRecord turn, CompletableFuture<Void> done) implements Work {}

  private record Published(List<String> eventIds) implements Work {}

  private final DataSource dataSource;
  private final LinkedBlockingQueue<Work> queue = new LinkedBlockingQueue<>();
  private final DistributionSummary groupSize;
  private volatile boolean running = true;
  private Thread thread;

  public TurnCommitter(DataSource dataSource, MeterRegistry metrics) {
    this.dataSource = dataSource;
    this.groupSize =
        DistributionSummary.builder("switchboard.core.turn.commit_group")
            .description("Turns stored by one group commit")
            .register(metrics);
  }

  @PostConstruct
  void start() {
    thread = new Thread(this::run, "core-turn-committer");
    thread.setDaemon(true);
    thread.start();
  }

  @PreDestroy
  void stop() {
    running = false;
    thread.interrupt();
  }

  /** Stores the turn; the stage completes once it is durable. */
  public CompletableFuture<Void> commit(TurnRecord turn) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (!running) {
      done.completeExceptionally(new IllegalStateException("shutting down"));
      return done;
    }
    queue.add(new Commit(turn, done));
    return done;
  }

  /** Records, without waiting, that the broker confirmed what these events caused. */
  public void markPublished(List<String> eventIds) {
    queue.add(new Published(eventIds));
  }

  private void run() {
    List<Work> group = new ArrayList<>();
    while (running) {
      try {
        Work first = queue.poll(1, TimeUnit.SECONDS);
        if (first == null) {
          continue;
        }
        group.add(first);
        queue.drainTo(group, MAX_GROUP - 1);
        write(group);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException e) {
        LOG.error("Group commit failed unexpectedly", e);
        group.forEach(w -> fail(w, e));
      } finally {
        group.clear();
      }
    }
    List<Work> left = new ArrayList<>();
    queue.drainTo(left);
    left.forEach(w -> fail(w, new IllegalStateException("shutting down")));
  }

  private void write(List<Work> group) {
    List<Commit> commits = new ArrayList<>();
    for (Work w : group) {
      if (w instanceof Commit c) {
        commits.add(c);
      }
    }
    try {
      inTransaction(group);
      groupSize.record(commits.size());
      commits.forEach(c -> c.done().complete(null));
    } catch (SQLException | RuntimeException e) {
      if (group.size() == 1) {
        fail(group.get(0), e);
        return;
      }
      LOG.warnf(
          "A group commit of %d turns failed (%s); storing them one by one", commits.size(), e);
      for (Work w : group) {
        try {
          inTransaction(List.of(w));
          if (w instanceof Commit c) {
            c.done().complete(null);
          }
        } catch (SQLException | RuntimeException alone) {
          fail(w, alone);
        }
      }
    }
  }

  private static void fail(Work w, Exception e) {
    if (w instanceof Commit c) {
      c.done().completeExceptionally(new StoreException("storing a turn", e));
    } else {
      LOG.debugf("Published marks not stored (a redelivery republishes them): %s", e);
    }
  }

  private void inTransaction(List<Work> group) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        boolean anyTurn = group.stream().anyMatch(w -> w instanceof Commit);
        if (!anyTurn) {
          // Only published marks: their loss is harmless, so this commit does not wait for the
          // disk.
          try (Statement s = c.createStatement()) {
            s.execute("set local synchronous_commit = off");
          }
        }
        writeTurns(c, group);
        writePublished(c, group);
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    }
  }

  private static void writeTurns(Connection c, List<Work> group) throws SQLException {
    try (PreparedStatement turns = c.prepareStatement(INSERT_TURN);
        PreparedStatement processed = c.prepareStatement(INSERT_PROCESSED);
        PreparedStatement conversations = c.prepareStatement(TOUCH_CONVERSATION);
        PreparedStatement people = c.prepareStatement(TOUCH_PERSON)) {
      boolean any = false;
      for (Work w : group) {
        if (!(w instanceof Commit commit)) {
          continue;
        }
        any = true;
        TurnRecord t = commit.turn();
        StoredTurn answer = t.answer();
        EventMeta last = t.messages().get(t.messages().size() - 1);
        int index = answer.turnIndex() - t.messages().size();
        for (int i = 0; i < t.messages().size(); i++) {
          addTurn(
              turns,
              t.conversationId(),
              last.subjectId(),
              index++,
              TurnEntity.USER,
              t.texts().get(i),
              t.mediaRefs().get(i),
              t.messages().get(i).eventId(),
              null,
              null,
              null,
              null,
              false,
              answer.language(),
              answer.startedAt());
        }
        addTurn(
            turns,
            t.conversationId(),
            last.subjectId(),
            answer.turnIndex(),
            TurnEntity.ASSISTANT,
            answer.assistantText(),
            null,
            answer.inboundEventId(),
            answer.model(),
            t.inputTokens(),
            t.outputTokens(),
            (int) Math.min(Integer.MAX_VALUE, t.latencyMs()),
            answer.interrupted(),
            answer.language(),
            answer.completedAt());
        for (EventMeta m : t.messages()) {
          processed.setString(1, m.eventId());
          processed.setString(2, m.subjectId());
          processed.setObject(3, utc(answer.completedAt()));
          processed.setString(4, m.conversationKey());
          processed.addBatch();
        }
        conversations.setObject(1, utc(answer.completedAt()));
        conversations.setObject(2, t.conversationId());
        conversations.addBatch();
        people.setObject(1, utc(answer.startedAt()));
        people.setObject(
            2, t.disclosed() ? utc(answer.completedAt()) : null, Types.TIMESTAMP_WITH_TIMEZONE);
        people.setString(3, last.subjectId());
        people.addBatch();
      }
      if (!any) {
        return;
      }
      // The turn insert comes first: it is what a concurrent lock on the turn table holds back.
      turns.executeBatch();
      processed.executeBatch();
      conversations.executeBatch();
      people.executeBatch();
    }
  }

  private static void addTurn(
      PreparedStatement s,
      UUID conversationId,
      String subjectId,
      int turnIndex,
      String role,
      String text,
      String mediaRefs,
      String eventId,
      String model,
      Integer inputTokens,
      Integer outputTokens,
      Integer latencyMs,
      boolean interrupted,
      String language,
      java.time.Instant createdAt)
      throws SQLException {
    s.setObject(1, conversationId);
    s.setString(2, subjectId);
    s.setInt(3, turnIndex);
    s.setString(4, role);
    s.setString(5, text);
    s.setString(6, mediaRefs);
    s.setString(7, eventId);
    s.setString(8, model);
    s.setObject(9, inputTokens, Types.INTEGER);
    s.setObject(10, outputTokens, Types.INTEGER);
    s.setObject(11, latencyMs, Types.INTEGER);
    s.setBoolean(12, interrupted);
    s.setString(13, language);
    s.setObject(14, utc(createdAt));
    s.addBatch();
  }

  private static void writePublished(Connection c, List<Work> group) throws SQLException {
    boolean any = false;
    try (PreparedStatement s = c.prepareStatement(MARK_PUBLISHED)) {
      for (Work w : group) {
        if (w instanceof Published p) {
          for (String id : p.eventIds()) {
            s.setString(1, id);
            s.addBatch();
            any = true;
          }
        }
      }
      if (any) {
        s.executeBatch();
      }
    }
  }
}

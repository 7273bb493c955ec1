package dev.switchboard.core.persistence;

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
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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

  // Each statement writes the whole group from arrays: five statements per group, whatever its
  // size. Instants travel as microseconds since the epoch (exact, unlike a float to_timestamp).
  private static final String INSERT_TURNS =
      "insert into core.turn (conversation_id, subject_id, turn_index, role, text, media_refs,"
          + " event_id, model, input_tokens, output_tokens, latency_ms, interrupted, language,"
          + " created_at) select c, s, i, r, t, m, e, mo, it, ot, l, x, la,"
          + " timestamptz 'epoch' + ca * interval '1 microsecond' from unnest(?::uuid[],"
          + " ?::varchar[], ?::int[], ?::varchar[], ?::text[], ?::text[], ?::varchar[],"
          + " ?::varchar[], ?::int[], ?::int[], ?::int[], ?::boolean[], ?::varchar[], ?::bigint[])"
          + " as u(c, s, i, r, t, m, e, mo, it, ot, l, x, la, ca)";
  private static final String INSERT_PROCESSED =
      "insert into core.processed_event (event_id, subject_id, processed_at, published, outcome,"
          + " conversation_key) select e, s, timestamptz 'epoch' + p * interval '1 microsecond',"
          + " false, 'turn', k from unnest(?::varchar[], ?::varchar[], ?::bigint[], ?::varchar[])"
          + " as u(e, s, p, k)";
  private static final String TOUCH_CONVERSATIONS =
      "update core.conversation c set last_activity_at = timestamptz 'epoch' + u.a * interval '1"
          + " microsecond' from unnest(?::uuid[], ?::bigint[]) as u(id, a) where c.id = u.id";
  // One person can finish two turns in one group (a call and a WhatsApp thread): one row each.
  private static final String TOUCH_PEOPLE =
      "update core.person p set last_seen_at = greatest(p.last_seen_at, timestamptz 'epoch' +"
          + " u.seen * interval '1 microsecond'), disclosed_at = coalesce(timestamptz 'epoch' +"
          + " u.disclosed * interval '1 microsecond', p.disclosed_at) from (select s, max(seen) as"
          + " seen, max(disclosed) as disclosed from unnest(?::varchar[], ?::bigint[], ?::bigint[])"
          + " as v(s, seen, disclosed) group by s) as u where p.subject_id = u.s";
  private static final String MARK_PUBLISHED =
      "update core.processed_event set published = true where event_id = any(?::varchar[])";

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
  private final GroupWorker<Work> worker =
      new GroupWorker<>("core-turn-committer", MAX_GROUP, this::write, TurnCommitter::fail);
  // What follows a commit (publishing the replies) runs here, so the next group's commit does not
  // wait for it.
  private final ExecutorService completions =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "core-turn-committed");
            t.setDaemon(true);
            return t;
          });
  private final DistributionSummary groupSize;
  private static final long DRAIN_MS = 10_000;

  public TurnCommitter(DataSource dataSource, MeterRegistry metrics) {
    this.dataSource = dataSource;
    this.groupSize =
        DistributionSummary.builder("switchboard.core.turn.commit_group")
            .description("Turns stored by one group commit")
            .register(metrics);
  }

  @PostConstruct
  void start() {
    worker.start();
  }

  /**
   * Like the executor it replaced, finishes what is queued (turns whose model call is done) before
   * stopping, so a graceful shutdown does not fail them into retries and the dead-letter topic.
   */
  @PreDestroy
  void stop() throws InterruptedException {
    worker.stop(DRAIN_MS);
    completions.shutdown();
    completions.awaitTermination(DRAIN_MS, TimeUnit.MILLISECONDS);
  }

  /** Stores the turn; the stage completes once it is durable. */
  public CompletableFuture<Void> commit(TurnRecord turn) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (!worker.offer(new Commit(turn, done))) {
      done.completeExceptionally(new IllegalStateException("the service has stopped"));
    }
    return done;
  }

  /** Records, without waiting, that the broker confirmed what these events caused. */
  public void markPublished(List<String> eventIds) {
    worker.offer(new Published(eventIds));
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
      completions.execute(() -> commits.forEach(c -> c.done().complete(null)));
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
    TurnColumns turns = new TurnColumns();
    List<Object> processedIds = new ArrayList<>();
    List<Object> processedSubjects = new ArrayList<>();
    List<Object> processedAt = new ArrayList<>();
    List<Object> processedKeys = new ArrayList<>();
    List<Object> conversationIds = new ArrayList<>();
    List<Object> conversationActivity = new ArrayList<>();
    List<Object> personIds = new ArrayList<>();
    List<Object> personSeen = new ArrayList<>();
    List<Object> personDisclosed = new ArrayList<>();
    for (Work w : group) {
      if (!(w instanceof Commit commit)) {
        continue;
      }
      TurnRecord t = commit.turn();
      StoredTurn answer = t.answer();
      EventMeta last = t.messages().get(t.messages().size() - 1);
      int index = answer.turnIndex() - t.messages().size();
      for (int i = 0; i < t.messages().size(); i++) {
        turns.add(
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
      turns.add(
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
        processedIds.add(m.eventId());
        processedSubjects.add(m.subjectId());
        processedAt.add(micros(answer.completedAt()));
        processedKeys.add(m.conversationKey());
      }
      conversationIds.add(t.conversationId());
      conversationActivity.add(micros(answer.completedAt()));
      personIds.add(last.subjectId());
      personSeen.add(micros(answer.startedAt()));
      personDisclosed.add(t.disclosed() ? micros(answer.completedAt()) : null);
    }
    if (conversationIds.isEmpty()) {
      return;
    }
    // The turn insert comes first: it is what a concurrent lock on the turn table holds back.
    execute(c, INSERT_TURNS, turns.columns());
    execute(c, INSERT_PROCESSED, processedIds, processedSubjects, processedAt, processedKeys);
    execute(c, TOUCH_CONVERSATIONS, conversationIds, conversationActivity);
    execute(c, TOUCH_PEOPLE, personIds, personSeen, personDisclosed);
  }

  /** The turn rows of a group, column by column. */
  private static final class TurnColumns {
    private final List<List<Object>> columns = new ArrayList<>();

    TurnColumns() {
      for (int i = 0; i < 14; i++) {
        columns.add(new ArrayList<>());
      }
    }

    void add(Object... row) {
      for (int i = 0; i < row.length; i++) {
        columns.get(i).add(i == 13 ? micros((java.time.Instant) row[i]) : row[i]);
      }
    }

    @SuppressWarnings("unchecked")
    List<Object>[] columns() {
      return columns.toArray(List[]::new);
    }
  }

  @SafeVarargs
  private static void execute(Connection c, String sql, List<Object>... columns)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < columns.length; i++) {
        // Sent as text arrays; the statement casts each to its column type.
        s.setArray(i + 1, c.createArrayOf("text", asText(columns[i])));
      }
      s.executeUpdate();
    }
  }

  private static String[] asText(List<Object> column) {
    String[] text = new String[column.size()];
    for (int i = 0; i < text.length; i++) {
      Object value = column.get(i);
      text[i] = value == null ? null : value.toString();
    }
    return text;
  }

  private static Long micros(java.time.Instant instant) {
    return instant == null
        ? null
        : Math.addExact(
            Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000L);
  }

  private static void writePublished(Connection c, List<Work> group) throws SQLException {
    List<Object> ids = new ArrayList<>();
    for (Work w : group) {
      if (w instanceof Published p) {
        ids.addAll(p.eventIds());
      }
    }
    if (!ids.isEmpty()) {
      execute(c, MARK_PUBLISHED, ids);
    }
  }
}

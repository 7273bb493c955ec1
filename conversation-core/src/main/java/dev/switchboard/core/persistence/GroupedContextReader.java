package dev.switchboard.core.persistence;

import dev.switchboard.core.conversation.EventMeta;
import dev.switchboard.core.conversation.PreparedTurn;
import dev.switchboard.core.persistence.TurnContextReader.Checked;
import dev.switchboard.core.persistence.TurnContextReader.Context;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Group read of what turns need before the model is called, the counterpart of {@link
 * TurnCommitter}'s group commit. One thread takes every turn waiting to start and reads for all of
 * them at once: which of their events were processed before (one statement), each person with their
 * block state and open conversation with its last turn index (one statement), and each one's recent
 * history (one statement) — three statements per group instead of two per turn, each a round trip
 * and a wake-up of the database. Alone, a turn waits for nobody.
 *
 * <p>The common case only reads. A turn whose person or conversation must first be written (first
 * contact, a lapsed WhatsApp conversation, a number to record) takes {@link TurnContextReader}'s
 * one-turn path on the same connection; if a group's statements fail, each turn is read alone so
 * one bad turn fails alone. Per-conversation order is untouched: a conversation's lane starts its
 * next turn only after the previous one was stored and published, so a group never holds two turns
 * of one conversation.
 */
@Singleton
public class GroupedContextReader {
  private static final Logger LOG = Logger.getLogger(GroupedContextReader.class);
  private static final int MAX_GROUP = 256;
  private static final long DRAIN_MS = 10_000;

  private static final String PROCESSED =
      "select event_id from core.processed_event where event_id = any(?::varchar[])";

  /** {@link TurnContextReader}'s context statement for many turns: row {@code o} is turn o. */
  private static final String CONTEXTS =
      "select u.o, p.subject_id is not null, p.last_seen_at, p.disclosed_at, p.context_reset_at,"
          + " p.phone_encrypted is null, exists (select 1 from core.enforcement e where"
          + " e.subject_id = u.s and e.action = 'BLOCK' and (e.blocked_until is null or"
          + " e.blocked_until > timestamptz 'epoch' + u.n * interval '1 microsecond')), c.id,"
          + " c.channel, c.started_at, c.last_activity_at, (select max(t.turn_index) from core.turn"
          + " t where t.conversation_id = c.id) from unnest(?::int[], ?::varchar[], ?::varchar[],"
          + " ?::bigint[]) as u(o, s, k, n) left join core.person p on p.subject_id = u.s left join"
          + " lateral (select id, channel, started_at, last_activity_at from core.conversation"
          + " where channel_key = u.k and ended_at is null order by started_at desc limit 1) c on"
          + " true";

  // Newest first within each turn, like the one-turn statements; the limit applies per turn.
  private static final String HISTORIES_OF_PEOPLE =
      "select u.o, h.role, h.text from unnest(?::int[], ?::varchar[], ?::bigint[]) as u(o, s,"
          + " since) cross join lateral (select role, text, created_at, turn_index from core.turn"
          + " where subject_id = u.s and created_at >= timestamptz 'epoch' + u.since * interval '1"
          + " microsecond' order by created_at desc, turn_index desc limit ?) h order by u.o,"
          + " h.created_at desc, h.turn_index desc";

  private static final String HISTORIES_OF_CONVERSATIONS =
      "select u.o, h.role, h.text from unnest(?::int[], ?::uuid[], ?::bigint[]) as u(o, c, since)"
          + " cross join lateral (select role, text, turn_index from core.turn where"
          + " conversation_id = u.c and created_at >= timestamptz 'epoch' + u.since * interval '1"
          + " microsecond' order by turn_index desc limit ?) h order by u.o, h.turn_index desc";

  private record Request(
      List<String> eventIds,
      EventMeta meta,
      Instant now,
      boolean prepare,
      CompletableFuture<Checked> done) {}

  private final DataSource dataSource;
  private final TurnContextReader reader;
  private final GroupWorker<Request> worker =
      new GroupWorker<>(
          "core-context-reader",
          MAX_GROUP,
          this::read,
          (request, failure) -> request.done().completeExceptionally(failure));
  private final DistributionSummary groupSize;

  public GroupedContextReader(
      DataSource dataSource, TurnContextReader reader, MeterRegistry metrics) {
    this.dataSource = dataSource;
    this.reader = reader;
    this.groupSize =
        DistributionSummary.builder("switchboard.core.turn.read_group")
            .description("Turns whose context one group read fetched")
            .register(metrics);
  }

  @PostConstruct
  void start() {
    worker.start();
  }

  @PreDestroy
  void stop() throws InterruptedException {
    worker.stop(DRAIN_MS);
  }

  /**
   * Like {@link TurnContextReader#checkAndPrepare}, read together with the other turns waiting to
   * start. The result is handed to {@code completeOn}, so what the caller does next (the prompt,
   * the model call) does not hold up the next group.
   */
  public CompletableFuture<Checked> checkAndPrepare(
      List<String> eventIds, EventMeta meta, Instant now, boolean prepare, Executor completeOn) {
    CompletableFuture<Checked> read = new CompletableFuture<>();
    if (!worker.offer(new Request(eventIds, meta, now, prepare, read))) {
      read.completeExceptionally(new IllegalStateException("the service has stopped"));
      return read;
    }
    CompletableFuture<Checked> handedOver = new CompletableFuture<>();
    read.whenComplete(
        (checked, failure) -> {
          try {
            completeOn.execute(
                () -> {
                  if (failure != null) {
                    handedOver.completeExceptionally(failure);
                  } else {
                    handedOver.complete(checked);
                  }
                });
          } catch (RuntimeException rejected) {
            handedOver.completeExceptionally(rejected);
          }
        });
    return handedOver;
  }

  private void read(List<Request> group) {
    groupSize.record(group.size());
    if (group.size() == 1) {
      alone(group.get(0));
      return;
    }
    Map<Request, Checked> results;
    try {
      results = readTogether(group);
    } catch (SQLException | RuntimeException e) {
      LOG.warnf("A group read of %d turns failed (%s); reading them one by one", group.size(), e);
      group.forEach(this::alone);
      return;
    }
    group.forEach(r -> r.done().complete(results.get(r)));
  }

  private void alone(Request r) {
    try {
      r.done().complete(reader.checkAndPrepare(r.eventIds(), r.meta(), r.now(), r.prepare()));
    } catch (RuntimeException e) {
      r.done().completeExceptionally(e);
    }
  }

  private Map<Request, Checked> readTogether(List<Request> group) throws SQLException {
    Map<Request, Checked> results = new HashMap<>();
    try (Connection c = dataSource.getConnection()) {
      Set<String> processed = processed(c, group);
      List<Request> toRead = new ArrayList<>();
      for (Request r : group) {
        Set<String> seen = new HashSet<>(r.eventIds());
        seen.retainAll(processed);
        if (!seen.isEmpty() || !r.prepare()) {
          results.put(r, new Checked(seen, null));
        } else {
          toRead.add(r);
        }
      }
      if (toRead.isEmpty()) {
        return results;
      }
      Context[] contexts = contexts(c, toRead);
      List<Integer> ready = new ArrayList<>();
      for (int i = 0; i < toRead.size(); i++) {
        Request r = toRead.get(i);
        if (reader.needsFirstContact(r.meta(), r.now(), contexts[i])) {
          // Rare (a conversation's first turn): written and read on the one-turn path.
          results.put(r, new Checked(Set.of(), reader.prepare(c, r.meta(), r.now(), contexts[i])));
        } else {
          ready.add(i);
        }
      }
      if (!ready.isEmpty()) {
        List<TurnContextReader.HistoryBudget> histories = histories(c, toRead, contexts, ready);
        for (int j = 0; j < ready.size(); j++) {
          Request r = toRead.get(ready.get(j));
          PreparedTurn prepared =
              reader.prepared(
                  r.meta(), r.now(), contexts[ready.get(j)], histories.get(j).history());
          results.put(r, new Checked(Set.of(), prepared));
        }
      }
    }
    return results;
  }

  private static Set<String> processed(Connection c, List<Request> group) throws SQLException {
    List<String> ids = new ArrayList<>();
    group.forEach(r -> ids.addAll(r.eventIds()));
    Set<String> processed = new HashSet<>();
    try (PreparedStatement s = c.prepareStatement(PROCESSED)) {
      s.setArray(1, c.createArrayOf("varchar", ids.toArray()));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          processed.add(rs.getString(1));
        }
      }
    }
    return processed;
  }

  private static Context[] contexts(Connection c, List<Request> toRead) throws SQLException {
    int n = toRead.size();
    Object[] ordinals = new Object[n];
    Object[] subjects = new Object[n];
    Object[] keys = new Object[n];
    Object[] nows = new Object[n];
    for (int i = 0; i < n; i++) {
      Request r = toRead.get(i);
      ordinals[i] = String.valueOf(i);
      subjects[i] = r.meta().subjectId();
      keys[i] = r.meta().conversationKey();
      nows[i] = String.valueOf(micros(r.now()));
    }
    Context[] contexts = new Context[n];
    try (PreparedStatement s = c.prepareStatement(CONTEXTS)) {
      s.setArray(1, text(c, ordinals));
      s.setArray(2, text(c, subjects));
      s.setArray(3, text(c, keys));
      s.setArray(4, text(c, nows));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          contexts[rs.getInt(1)] =
              new Context(
                  Set.of(), TurnContextReader.person(rs, 2), TurnContextReader.conversation(rs, 8));
        }
      }
    }
    return contexts;
  }

  private List<TurnContextReader.HistoryBudget> histories(
      Connection c, List<Request> toRead, Context[] contexts, List<Integer> ready)
      throws SQLException {
    boolean crossChannel = reader.crossChannelHistory();
    int n = ready.size();
    Object[] ordinals = new Object[n];
    Object[] owners = new Object[n];
    Object[] since = new Object[n];
    List<TurnContextReader.HistoryBudget> budgets = new ArrayList<>();
    for (int j = 0; j < n; j++) {
      Request r = toRead.get(ready.get(j));
      Context context = contexts[ready.get(j)];
      ordinals[j] = String.valueOf(j);
      owners[j] = crossChannel ? r.meta().subjectId() : context.conversation().id().toString();
      since[j] =
          String.valueOf(
              micros(reader.historySince(context.person(), context.conversation(), r.now())));
      budgets.add(reader.newHistoryBudget());
    }
    try (PreparedStatement s =
        c.prepareStatement(crossChannel ? HISTORIES_OF_PEOPLE : HISTORIES_OF_CONVERSATIONS)) {
      s.setArray(1, text(c, ordinals));
      s.setArray(2, text(c, owners));
      s.setArray(3, text(c, since));
      s.setInt(4, reader.historyTurns());
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          budgets.get(rs.getInt(1)).offer(rs.getString(2), rs.getString(3));
        }
      }
    }
    return budgets;
  }

  /** Sent as a text array; the statement casts it to the column's type. */
  private static Array text(Connection c, Object[] values) throws SQLException {
    return c.createArrayOf("text", values);
  }

  private static long micros(Instant instant) {
    return Math.addExact(
        Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000L);
  }
}

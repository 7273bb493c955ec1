package dev.switchboard.core.persistence;

import dev.switchboard.core.config.CoreConfig;
import dev.switchboard.core.conversation.ChannelKind;
import dev.switchboard.core.conversation.EventMeta;
import dev.switchboard.core.conversation.PreparedTurn;
import dev.switchboard.core.conversation.PromptMessage;
import dev.switchboard.core.privacy.PhoneNumberCipher;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The reads every turn needs before the model is called, in plain JDBC: this is the hot path, and
 * Hibernate's query translation and entity bookkeeping cost more CPU than the statements
 * themselves. For a known person in an open conversation it only reads (three statements, no
 * commit): the person with their block state, the open conversation with its last turn index, and
 * the recent history. The turn's own commit ({@link TurnCommitter}) records when the person was
 * last seen and the conversation's last activity. Only a new person, a new conversation or a lapsed
 * WhatsApp conversation write here, in a short transaction that does not wait for the disk: a crash
 * that loses it loses nothing, because the event is not marked processed yet and its redelivery
 * prepares again.
 */
@ApplicationScoped
public class TurnContextReader {
  /**
   * One statement for everything but the history: which of the events were processed before, the
   * person with their block state, and the open conversation with its last turn index.
   */
  private static final String CONTEXT =
      "select array(select event_id from core.processed_event where event_id = any(?::varchar[])),"
          + " p.subject_id is not null, p.last_seen_at, p.disclosed_at, p.context_reset_at,"
          + " p.phone_encrypted is null, exists (select 1 from core.enforcement e where"
          + " e.subject_id = ? and e.action = 'BLOCK' and (e.blocked_until is null or"
          + " e.blocked_until > ?)), c.id, c.channel, c.started_at, c.last_activity_at,"
          + " (select max(t.turn_index) from core.turn t where t.conversation_id = c.id)"
          + " from (values (1)) as one (x) left join core.person p on p.subject_id = ?"
          + " left join lateral (select id, channel, started_at, last_activity_at from"
          + " core.conversation where channel_key = ? and ended_at is null order by started_at"
          + " desc limit 1) c on true";

  private static final String HISTORY_OF_PERSON =
      "select role, text from core.turn where subject_id = ? and created_at >= ?"
          + " order by created_at desc, turn_index desc limit ?";

  private static final String HISTORY_OF_CONVERSATION =
      "select role, text from core.turn where conversation_id = ? and created_at >= ?"
          + " order by turn_index desc limit ?";

  private final DataSource dataSource;
  private final CoreConfig config;
  private final PhoneNumberCipher cipher;

  public TurnContextReader(DataSource dataSource, CoreConfig config, PhoneNumberCipher cipher) {
    this.dataSource = dataSource;
    this.config = config;
    this.cipher = cipher;
  }

  /**
   * Which of {@code eventIds} were processed before and, when none was and {@code prepare} is set,
   * the prepared turn (otherwise null).
   */
  public record Checked(Set<String> processed, PreparedTurn prepared) {}

  /**
   * Checks the events against the processed ids and, when all are new, finds (or records) the
   * person and their open conversation and reads what the prompt and the policy need.
   */
  public Checked checkAndPrepare(
      List<String> eventIds, EventMeta meta, Instant now, boolean prepare) {
    try (Connection c = dataSource.getConnection()) {
      Context context = readContext(c, eventIds, meta, now);
      if (!context.processed.isEmpty() || !prepare) {
        return new Checked(context.processed, null);
      }
      return new Checked(Set.of(), prepare(c, meta, now, context));
    } catch (SQLException e) {
      throw new StoreException("preparing a turn", e);
    }
  }

  /**
   * The prepared turn from a context read for events known to be new; first contact (a new person,
   * a new or lapsed conversation, a missing number) is written and read again first.
   */
  PreparedTurn prepare(Connection c, EventMeta meta, Instant now, Context context)
      throws SQLException {
    if (needsFirstContact(meta, now, context)) {
      writeFirstContact(c, meta, now, context.person, context.conversation);
      context = readContext(c, List.of(), meta, now);
    }
    return prepared(
        meta, now, context, history(c, meta, context.person, context.conversation, now));
  }

  /** Whether {@link #writeFirstContact} must run before this context can prepare a turn. */
  boolean needsFirstContact(EventMeta meta, Instant now, Context context) {
    return context.person == null
        || context.conversation == null
        || context.conversation.lapsed(meta, now, config)
        || context.person.phoneMissing && meta.userE164().isPresent();
  }

  /** The prepared turn from a complete context (person and open conversation) and its history. */
  PreparedTurn prepared(EventMeta meta, Instant now, Context context, List<PromptMessage> history) {
    Person person = context.person;
    boolean disclosureDue =
        meta.channel() == ChannelKind.WHATSAPP
            && (person.disclosedAt == null
                || person
                    .lastSeenBefore
                    .plus(config.core().policy().disclosureRenewal())
                    .isBefore(now));
    return new PreparedTurn(
        context.conversation.id,
        context.conversation.maxTurnIndex + 1,
        history,
        disclosureDue,
        person.blocked);
  }

  /** Prepares a turn whose events are known to be new. */
  public PreparedTurn prepare(EventMeta meta, Instant now) {
    return checkAndPrepare(List.of(), meta, now, true).prepared();
  }

  record Context(Set<String> processed, Person person, Conversation conversation) {}

  private Context readContext(Connection c, List<String> eventIds, EventMeta meta, Instant now)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(CONTEXT)) {
      s.setArray(1, c.createArrayOf("varchar", eventIds.toArray()));
      s.setString(2, meta.subjectId());
      s.setObject(3, utc(now));
      s.setString(4, meta.subjectId());
      s.setString(5, meta.conversationKey());
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        Set<String> processed = new HashSet<>(List.of((String[]) rs.getArray(1).getArray()));
        return new Context(processed, person(rs, 2), conversation(rs, 8));
      }
    }
  }

  /** The person from columns {@code from}..{@code from + 5} of a context row, null when unknown. */
  static Person person(ResultSet rs, int from) throws SQLException {
    return rs.getBoolean(from)
        ? new Person(
            instant(rs, from + 1),
            instant(rs, from + 2),
            instant(rs, from + 3),
            rs.getBoolean(from + 4),
            rs.getBoolean(from + 5))
        : null;
  }

  /**
   * The open conversation from columns {@code from}..{@code from + 4} of a context row, null when
   * there is none.
   */
  static Conversation conversation(ResultSet rs, int from) throws SQLException {
    UUID id = rs.getObject(from, UUID.class);
    if (id == null) {
      return null;
    }
    int max = rs.getInt(from + 4);
    boolean noTurns = rs.wasNull();
    return new Conversation(
        id,
        rs.getString(from + 1),
        instant(rs, from + 2),
        instant(rs, from + 3),
        noTurns ? -1 : max);
  }

  record Person(
      Instant lastSeenBefore,
      Instant disclosedAt,
      Instant contextResetAt,
      boolean phoneMissing,
      boolean blocked) {}

  record Conversation(
      UUID id, String channel, Instant startedAt, Instant lastActivityAt, int maxTurnIndex) {
    boolean lapsed(EventMeta meta, Instant now, CoreConfig config) {
      return meta.channel() == ChannelKind.WHATSAPP
          && lastActivityAt.plus(config.core().whatsappLapse()).isBefore(now);
    }
  }

  /**
   * A new person (number encrypted; two channels may meet them at once, so insert-if-absent), a
   * missing number, a new conversation, or the end of a lapsed one.
   */
  private void writeFirstContact(
      Connection c, EventMeta meta, Instant now, Person person, Conversation conversation)
      throws SQLException {
    c.setAutoCommit(false);
    try {
      try (Statement s = c.createStatement()) {
        s.execute("set local synchronous_commit = off");
      }
      byte[] phone = meta.userE164().map(n -> cipher.encrypt(n, meta.subjectId())).orElse(null);
      if (person == null) {
        try (PreparedStatement s =
            c.prepareStatement(
                "insert into core.person (subject_id, phone_encrypted, created_at, last_seen_at)"
                    + " values (?, ?, ?, ?) on conflict (subject_id) do nothing")) {
          s.setString(1, meta.subjectId());
          s.setBytes(2, phone);
          s.setObject(3, utc(now));
          s.setObject(4, utc(now));
          s.executeUpdate();
        }
      } else if (person.phoneMissing && phone != null) {
        try (PreparedStatement s =
            c.prepareStatement(
                "update core.person set phone_encrypted = ? where subject_id = ? and"
                    + " phone_encrypted is null")) {
          s.setBytes(1, phone);
          s.setString(2, meta.subjectId());
          s.executeUpdate();
        }
      }
      if (conversation != null && conversation.lapsed(meta, now, config)) {
        try (PreparedStatement s =
            c.prepareStatement(
                "update core.conversation set ended_at = ?, end_reason = 'lapsed' where id = ?")) {
          s.setObject(1, utc(conversation.lastActivityAt.plus(config.core().whatsappLapse())));
          s.setObject(2, conversation.id);
          s.executeUpdate();
        }
        conversation = null;
      }
      if (conversation == null) {
        try (PreparedStatement s =
            c.prepareStatement(
                "insert into core.conversation (id, subject_id, channel, channel_key, started_at,"
                    + " last_activity_at) values (?, ?, ?, ?, ?, ?)")) {
          s.setObject(1, UUID.randomUUID());
          s.setString(2, meta.subjectId());
          s.setString(3, meta.channel().name());
          s.setString(4, meta.conversationKey());
          s.setObject(5, utc(now));
          s.setObject(6, utc(now));
          s.executeUpdate();
        }
      }
      c.commit();
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  /**
   * The most recent turns, newest kept first when trimming to the budget: across all the person's
   * conversations (or this one only), after "start over", within the history age, and for WhatsApp
   * within the current conversation's lapse window.
   */
  private List<PromptMessage> history(
      Connection c, EventMeta meta, Person person, Conversation conversation, Instant now)
      throws SQLException {
    boolean crossChannel = config.core().crossChannelHistory();
    HistoryBudget budget = newHistoryBudget();
    try (PreparedStatement s =
        c.prepareStatement(crossChannel ? HISTORY_OF_PERSON : HISTORY_OF_CONVERSATION)) {
      if (crossChannel) {
        s.setString(1, meta.subjectId());
      } else {
        s.setObject(1, conversation.id);
      }
      s.setObject(2, utc(historySince(person, conversation, now)));
      s.setInt(3, historyTurns());
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          budget.offer(rs.getString(1), rs.getString(2));
        }
      }
    }
    return budget.history();
  }

  /** Whether history spans all the person's conversations (else only the current one). */
  boolean crossChannelHistory() {
    return config.core().crossChannelHistory();
  }

  int historyTurns() {
    return config.core().prompt().historyTurns();
  }

  /**
   * The oldest instant whose turns belong in the prompt: the history age, "start over", and for
   * WhatsApp (without cross-channel history) the current conversation's start.
   */
  Instant historySince(Person person, Conversation conversation, Instant now) {
    Instant since = now.minus(config.core().historyMaxAge());
    if (person.contextResetAt != null && person.contextResetAt.isAfter(since)) {
      since = person.contextResetAt;
    }
    if (ChannelKind.WHATSAPP.name().equals(conversation.channel)
        && conversation.startedAt.isAfter(since)
        && !config.core().crossChannelHistory()) {
      since = conversation.startedAt;
    }
    return since;
  }

  /** An empty history under the configured token budget. */
  HistoryBudget newHistoryBudget() {
    return new HistoryBudget(config.core().prompt().historyTokenBudget() * 4);
  }

  /** Takes turns newest first until the token budget is spent; gives them back oldest first. */
  static final class HistoryBudget {
    private final List<PromptMessage> newestFirst = new ArrayList<>();
    private int budgetChars;

    HistoryBudget(int budgetChars) {
      this.budgetChars = budgetChars;
    }

    void offer(String role, String text) {
      if (budgetChars < 0) {
        return;
      }
      budgetChars -= text.length();
      if (budgetChars < 0) {
        return;
      }
      newestFirst.add(
          new PromptMessage(
              TurnEntity.USER.equals(role) ? PromptMessage.Role.USER : PromptMessage.Role.ASSISTANT,
              text));
    }

    List<PromptMessage> history() {
      List<PromptMessage> oldestFirst = new ArrayList<>(newestFirst);
      Collections.reverse(oldestFirst);
      return oldestFirst;
    }
  }

  static OffsetDateTime utc(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }
}

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
  private static final String PROCESSED_AMONG =
      "select event_id from core.processed_event where event_id = any(?)";

  private static final String PERSON =
      "select p.last_seen_at, p.disclosed_at, p.context_reset_at, p.phone_encrypted is null,"
          + " exists (select 1 from core.enforcement e where e.subject_id = p.subject_id and"
          + " e.action = 'BLOCK' and (e.blocked_until is null or e.blocked_until > ?))"
          + " from core.person p where p.subject_id = ?";

  private static final String OPEN_CONVERSATION =
      "select c.id, c.channel, c.started_at, c.last_activity_at,"
          + " (select max(t.turn_index) from core.turn t where t.conversation_id = c.id)"
          + " from core.conversation c where c.channel_key = ? and c.ended_at is null"
          + " order by c.started_at desc limit 1";

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

  /** The ids among {@code eventIds} that were processed before (usually none). */
  public Set<String> processedAmong(List<String> eventIds) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(PROCESSED_AMONG)) {
      s.setArray(1, c.createArrayOf("varchar", eventIds.toArray()));
      Set<String> found = new HashSet<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          found.add(rs.getString(1));
        }
      }
      return found;
    } catch (SQLException e) {
      throw new StoreException("reading processed event ids", e);
    }
  }

  /**
   * Finds (or records) the person and their open conversation and reads what the prompt and the
   * policy need.
   */
  public PreparedTurn prepare(EventMeta meta, Instant now) {
    try (Connection c = dataSource.getConnection()) {
      Person person = readPerson(c, meta, now);
      Conversation conversation = readConversation(c, meta);
      if (person == null
          || conversation == null
          || conversation.lapsed(meta, now, config)
          || person.phoneMissing && meta.userE164().isPresent()) {
        writeFirstContact(c, meta, now, person, conversation);
        person = person == null ? readPerson(c, meta, now) : person;
        conversation = readConversation(c, meta);
      }
      boolean disclosureDue =
          meta.channel() == ChannelKind.WHATSAPP
              && (person.disclosedAt == null
                  || person
                      .lastSeenBefore
                      .plus(config.core().policy().disclosureRenewal())
                      .isBefore(now));
      return new PreparedTurn(
          conversation.id,
          conversation.maxTurnIndex + 1,
          history(c, meta, person, conversation, now),
          disclosureDue,
          person.blocked);
    } catch (SQLException e) {
      throw new StoreException("preparing a turn", e);
    }
  }

  private record Person(
      Instant lastSeenBefore,
      Instant disclosedAt,
      Instant contextResetAt,
      boolean phoneMissing,
      boolean blocked) {}

  private record Conversation(
      UUID id, String channel, Instant startedAt, Instant lastActivityAt, int maxTurnIndex) {
    boolean lapsed(EventMeta meta, Instant now, CoreConfig config) {
      return meta.channel() == ChannelKind.WHATSAPP
          && lastActivityAt.plus(config.core().whatsappLapse()).isBefore(now);
    }
  }

  private Person readPerson(Connection c, EventMeta meta, Instant now) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(PERSON)) {
      s.setObject(1, utc(now));
      s.setString(2, meta.subjectId());
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        return new Person(
            instant(rs, 1), instant(rs, 2), instant(rs, 3), rs.getBoolean(4), rs.getBoolean(5));
      }
    }
  }

  private Conversation readConversation(Connection c, EventMeta meta) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(OPEN_CONVERSATION)) {
      s.setString(1, meta.conversationKey());
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        int max = rs.getInt(5);
        boolean noTurns = rs.wasNull();
        return new Conversation(
            rs.getObject(1, UUID.class),
            rs.getString(2),
            instant(rs, 3),
            instant(rs, 4),
            noTurns ? -1 : max);
      }
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
    Instant since = now.minus(config.core().historyMaxAge());
    if (person.contextResetAt != null && person.contextResetAt.isAfter(since)) {
      since = person.contextResetAt;
    }
    boolean crossChannel = config.core().crossChannelHistory();
    if (ChannelKind.WHATSAPP.name().equals(conversation.channel)
        && conversation.startedAt.isAfter(since)
        && !crossChannel) {
      since = conversation.startedAt;
    }
    List<PromptMessage> history = new ArrayList<>();
    try (PreparedStatement s =
        c.prepareStatement(crossChannel ? HISTORY_OF_PERSON : HISTORY_OF_CONVERSATION)) {
      if (crossChannel) {
        s.setString(1, meta.subjectId());
      } else {
        s.setObject(1, conversation.id);
      }
      s.setObject(2, utc(since));
      s.setInt(3, config.core().prompt().historyTurns());
      int budgetChars = config.core().prompt().historyTokenBudget() * 4;
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          String text = rs.getString(2);
          budgetChars -= text.length();
          if (budgetChars < 0) {
            break;
          }
          history.add(
              new PromptMessage(
                  TurnEntity.USER.equals(rs.getString(1))
                      ? PromptMessage.Role.USER
                      : PromptMessage.Role.ASSISTANT,
                  text));
        }
      }
    }
    Collections.reverse(history);
    return history;
  }

  static OffsetDateTime utc(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }
}

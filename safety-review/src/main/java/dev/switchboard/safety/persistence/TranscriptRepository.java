package dev.switchboard.safety.persistence;

import dev.switchboard.safety.transcript.StoredTurn;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import javax.sql.DataSource;

/** Writes and reads transcript turns. Inserts are idempotent by event id. */
@ApplicationScoped
public class TranscriptRepository {
  private final DataSource dataSource;

  public TranscriptRepository(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Inserts the turn unless one with the same event id exists; returns whether it was new. */
  public boolean insertIfAbsent(StoredTurn t) {
    return insertAllIfAbsent(List.of(t))[0];
  }

  /**
   * Inserts turns in one JDBC batch; ON CONFLICT makes redelivered event ids no-ops. Returns, per
   * turn, whether it was new.
   */
  public boolean[] insertAllIfAbsent(List<StoredTurn> turns) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                """
                insert into safety.transcript_turn (event_id, conversation_id, subject_id, channel,
                  turn_index, user_text_display, assistant_text_display, redaction_count,
                  original_ciphertext, key_id, started_at, completed_at, received_at, interrupted,
                  model, language)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                on conflict (event_id) do nothing
                """)) {
      for (StoredTurn t : turns) {
        ps.setString(1, t.eventId());
        ps.setString(2, t.conversationId());
        ps.setString(3, t.subjectId());
        ps.setString(4, t.channel());
        ps.setInt(5, t.turnIndex());
        ps.setString(6, t.userTextDisplay());
        ps.setString(7, t.assistantTextDisplay());
        ps.setInt(8, t.redactionCount());
        ps.setBytes(9, t.originalCiphertext());
        ps.setString(10, t.keyId());
        setInstant(ps, 11, t.startedAt());
        setInstant(ps, 12, t.completedAt());
        setInstant(ps, 13, t.receivedAt());
        ps.setBoolean(14, t.interrupted());
        ps.setString(15, t.model());
        ps.setString(16, t.language());
        ps.addBatch();
      }
      int[] counts = ps.executeBatch();
      boolean[] inserted = new boolean[counts.length];
      for (int i = 0; i < counts.length; i++) {
        inserted[i] = counts[i] == 1;
      }
      return inserted;
    } catch (SQLException e) {
      throw new IllegalStateException("Storing transcript turns failed: " + e.getSQLState(), e);
    }
  }

  /**
   * The stored turn a transcript marked interrupted corrects: the same conversation and turn index
   * under another event id (the latest received, as a WhatsApp key's turn indexes restart when a
   * conversation lapses; voice keys are one per call).
   */
  public java.util.Optional<String> turnToCorrect(
      String conversationId, int turnIndex, String correctionEventId) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                """
                select event_id from safety.transcript_turn
                where conversation_id = ? and turn_index = ? and event_id <> ?
                order by received_at desc limit 1
                """)) {
      ps.setString(1, conversationId);
      ps.setInt(2, turnIndex);
      ps.setString(3, correctionEventId);
      try (java.sql.ResultSet rs = ps.executeQuery()) {
        return rs.next() ? java.util.Optional.of(rs.getString(1)) : java.util.Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Reading transcript turns failed: " + e.getSQLState(), e);
    }
  }

  /**
   * Replaces a stored turn's texts with a correction's (what the caller heard) and marks it
   * interrupted; {@code t.eventId()} is the stored turn's. Idempotent: a redelivered correction
   * writes the same values again. Classification columns stay.
   */
  public void correct(StoredTurn t) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                """
                update safety.transcript_turn set user_text_display = ?,
                  assistant_text_display = ?, redaction_count = ?, original_ciphertext = ?,
                  key_id = ?, completed_at = coalesce(?, completed_at), interrupted = true
                where event_id = ?
                """)) {
      ps.setString(1, t.userTextDisplay());
      ps.setString(2, t.assistantTextDisplay());
      ps.setInt(3, t.redactionCount());
      ps.setBytes(4, t.originalCiphertext());
      ps.setString(5, t.keyId());
      setInstant(ps, 6, t.completedAt());
      ps.setString(7, t.eventId());
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("Correcting a transcript turn failed: " + e.getSQLState(), e);
    }
  }

  private static void setInstant(PreparedStatement ps, int index, Instant instant)
      throws SQLException {
    if (instant == null) {
      ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      ps.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
    }
  }

  public TranscriptTurnEntity find(String eventId) {
    return TranscriptTurnEntity.findById(eventId);
  }

  public List<TranscriptTurnEntity> conversation(String conversationId) {
    return TranscriptTurnEntity.list(
        "conversationId = ?1 order by turnIndex, receivedAt", conversationId);
  }

  public List<TranscriptTurnEntity> unclassified(int limit) {
    return TranscriptTurnEntity.find("classifiedAt is null order by receivedAt")
        .page(0, limit)
        .list();
  }

  public long countByConversation(String conversationId) {
    return TranscriptTurnEntity.count("conversationId", conversationId);
  }
}

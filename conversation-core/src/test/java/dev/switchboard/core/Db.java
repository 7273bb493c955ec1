package dev.switchboard.core;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Reads the core's schema the way an operator would, with plain SQL. */
final class Db {
  private Db() {}

  static List<String> column(DataSource ds, String sql, String param) throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection c = ds.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, param);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          rows.add(rs.getString(1));
        }
      }
    }
    return rows;
  }

  /** Each turn as {@code role|text|generated_text} (generated_text "-" when null). */
  static List<String> turnsWithGeneratedText(DataSource ds, String subjectId) throws Exception {
    return column(
        ds,
        "select t.role || '|' || t.text || '|' || coalesce(t.generated_text, '-') from core.turn t"
            + " join core.conversation c on c.id = t.conversation_id where t.subject_id = ?"
            + " order by c.started_at, t.turn_index",
        subjectId);
  }

  static List<String> turnsOf(DataSource ds, String subjectId) throws Exception {
    return column(
        ds,
        "select t.role || '|' || t.text || case when t.interrupted then '|interrupted' else ''"
            + " end from core.turn t join core.conversation c on c.id = t.conversation_id"
            + " where t.subject_id = ? order by c.started_at, t.turn_index",
        subjectId);
  }
}

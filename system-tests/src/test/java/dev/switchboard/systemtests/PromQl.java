package dev.switchboard.systemtests;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough PromQL reading to tell which series an alert rule or a dashboard query selects: the
 * metric names and the label matchers written next to them. Functions, aggregation clauses ({@code
 * by (...)}), keywords, numbers and range selectors are not metrics.
 */
final class PromQl {
  private static final Set<String> KEYWORDS =
      Set.of(
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "and",
          "or",
          "unless",
          "bool",
          "offset",
          "le",
          "inf",
          "nan");
  private static final Pattern GROUPING =
      Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern MATCHER =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

  private PromQl() {}

  /** One metric selected in a query, with its label matchers (label, operator, value). */
  record Selector(String metric, List<LabelMatcher> matchers) {}

  record LabelMatcher(String label, String operator, String value) {}

  static List<Selector> selectors(String expr) {
    // Blank out string literals inside braces after reading them, so a regex value such as
    // ".+\\.dlq" is never taken for a metric name.
    Map<Integer, List<LabelMatcher>> matchersAt = new TreeMap<>();
    StringBuilder stripped = new StringBuilder();
    int i = 0;
    while (i < expr.length()) {
      char c = expr.charAt(i);
      if (c == '{') {
        int end = closingBrace(expr, i);
        matchersAt.put(stripped.length(), matchers(expr.substring(i + 1, end)));
        stripped.append(' ');
        i = end + 1;
      } else if (c == '[') {
        i = expr.indexOf(']', i) + 1;
        stripped.append(' ');
      } else if (c == '"') {
        i = closingQuote(expr, i) + 1;
        stripped.append("\"\"");
      } else {
        stripped.append(c);
        i++;
      }
    }
    // Same length, so the positions of the label matchers stay valid.
    String text =
        GROUPING.matcher(stripped).replaceAll(clause -> " ".repeat(clause.group().length()));
    List<Selector> selectors = new ArrayList<>();
    Matcher m = IDENTIFIER.matcher(text);
    while (m.find()) {
      String word = m.group();
      int next = m.end();
      while (next < text.length() && text.charAt(next) == ' ' && !matchersAt.containsKey(next)) {
        next++;
      }
      boolean isFunction = next < text.length() && text.charAt(next) == '(';
      boolean isNumber = m.start() > 0 && Character.isDigit(text.charAt(m.start() - 1));
      if (!isFunction && !isNumber && !KEYWORDS.contains(word.toLowerCase())) {
        selectors.add(new Selector(word, matchersAt.getOrDefault(next, List.of())));
      }
    }
    return selectors;
  }

  private static List<LabelMatcher> matchers(String inside) {
    List<LabelMatcher> matchers = new ArrayList<>();
    Matcher m = MATCHER.matcher(inside);
    while (m.find()) {
      matchers.add(new LabelMatcher(m.group(1), m.group(2), m.group(3).replace("\\\\", "\\")));
    }
    return matchers;
  }

  private static int closingBrace(String expr, int open) {
    int i = open + 1;
    while (expr.charAt(i) != '}') {
      i = expr.charAt(i) == '"' ? closingQuote(expr, i) + 1 : i + 1;
    }
    return i;
  }

  private static int closingQuote(String expr, int open) {
    int i = open + 1;
    while (expr.charAt(i) != '"') {
      i += expr.charAt(i) == '\\' ? 2 : 1;
    }
    return i;
  }
}

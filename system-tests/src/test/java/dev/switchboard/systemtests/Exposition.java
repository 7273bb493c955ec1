package dev.switchboard.systemtests;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The series of a Prometheus text exposition (what {@code /q/metrics} answers): for each metric
 * name, the label sets of its samples. Comment lines (HELP, TYPE) are skipped.
 */
final class Exposition {
  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+\\S+.*$");
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  private final Map<String, List<Map<String, String>>> series = new HashMap<>();

  static Exposition parse(String text) {
    Exposition exposition = new Exposition();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher sample = SAMPLE.matcher(line);
      if (!sample.matches()) {
        throw new AssertionError("not a Prometheus sample line: " + line);
      }
      Map<String, String> labels = new HashMap<>();
      if (sample.group(3) != null) {
        Matcher label = LABEL.matcher(sample.group(3));
        while (label.find()) {
          labels.put(label.group(1), label.group(2));
        }
      }
      exposition.series.computeIfAbsent(sample.group(1), k -> new ArrayList<>()).add(labels);
    }
    return exposition;
  }

  Set<String> names() {
    return series.keySet();
  }

  List<Map<String, String>> series(String metric) {
    return series.getOrDefault(metric, List.of());
  }
}

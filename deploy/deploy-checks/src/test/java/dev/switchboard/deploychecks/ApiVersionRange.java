package dev.switchboard.deploychecks;

import java.util.List;

/**
 * A Strimzi API version range as written in its model annotations: {@code v1beta2} (exactly),
 * {@code v1+} (that version and newer) or {@code v1alpha1-v1beta2} (inclusive), comma-separated.
 */
final class ApiVersionRange {
  private static final List<String> ORDER = List.of("v1alpha1", "v1beta1", "v1beta2", "v1");

  private ApiVersionRange() {}

  static boolean contains(String range, String version) {
    int at = rank(version);
    for (String part : range.split(",")) {
      String item = part.trim();
      if (item.endsWith("+")) {
        if (at >= rank(item.substring(0, item.length() - 1))) {
          return true;
        }
      } else if (item.contains("-")) {
        String[] bounds = item.split("-", 2);
        if (at >= rank(bounds[0]) && at <= rank(bounds[1])) {
          return true;
        }
      } else if (at == rank(item)) {
        return true;
      }
    }
    return false;
  }

  private static int rank(String version) {
    int rank = ORDER.indexOf(version.trim());
    if (rank < 0) {
      throw new IllegalArgumentException("unknown Strimzi API version: " + version);
    }
    return rank;
  }
}

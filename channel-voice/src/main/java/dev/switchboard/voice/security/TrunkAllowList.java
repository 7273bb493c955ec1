package dev.switchboard.voice.security;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Source-address allow-lists per trunk: a request from a listed network belongs to that trunk. */
public final class TrunkAllowList {
  private record Entry(String trunk, CidrRange range) {}

  private final List<Entry> entries = new ArrayList<>();

  /**
   * @param trunks trunk name → CIDR ranges
   */
  public TrunkAllowList(Map<String, List<String>> trunks) {
    trunks.forEach(
        (name, ranges) -> ranges.forEach(r -> entries.add(new Entry(name, CidrRange.parse(r)))));
  }

  public Optional<String> trunkFor(InetAddress source) {
    for (Entry e : entries) {
      if (e.range().contains(source)) {
        return Optional.of(e.trunk());
      }
    }
    return Optional.empty();
  }
}

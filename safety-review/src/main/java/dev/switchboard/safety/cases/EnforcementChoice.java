package dev.switchboard.safety.cases;

import java.time.Duration;
import java.util.Optional;

/** What a reviewer may do to the person behind a case. */
public enum EnforcementChoice {
  NONE(null),
  WARN(null),
  BLOCK_24H(Duration.ofHours(24)),
  BLOCK_7D(Duration.ofDays(7)),
  BLOCK_30D(Duration.ofDays(30)),
  BLOCK_PERMANENT(null),
  UNBLOCK(null);

  private final Duration blockFor;

  EnforcementChoice(Duration blockFor) {
    this.blockFor = blockFor;
  }

  public boolean isBlock() {
    return name().startsWith("BLOCK_");
  }

  /** How long a block lasts; empty for permanent blocks and non-blocks. */
  public Optional<Duration> blockFor() {
    return Optional.ofNullable(blockFor);
  }
}

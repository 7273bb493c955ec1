package dev.switchboard.safety.cases;

/** A reviewer's verdict on a case. */
public enum Decision {
  NO_VIOLATION,
  VIOLATION,
  ESCALATE
}

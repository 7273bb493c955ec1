package dev.switchboard.safety.cases;

/** Review queues, worked in this order. */
public enum Queue {
  /** Severe categories; the person is already blocked automatically. */
  URGENT,
  /** A reviewer asked a lead to decide; only leads take cases from here. */
  ESCALATED,
  /** A category crossed its threshold. */
  STANDARD,
  /** A random sample of unflagged conversations, to measure what the classifier misses. */
  QA;

  /** Whether a reviewer with only the reviewer role may take cases from this queue. */
  public boolean leadsOnly() {
    return this == ESCALATED;
  }
}

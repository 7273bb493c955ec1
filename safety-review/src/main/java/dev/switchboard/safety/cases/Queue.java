package dev.switchboard.safety.cases;

/** Review queues, worked in this order. */
public enum Queue {
  /** Severe categories; the person is already blocked automatically. */
  URGENT,
  /** A category crossed its threshold. */
  STANDARD,
  /** A random sample of unflagged conversations, to measure what the classifier misses. */
  QA
}

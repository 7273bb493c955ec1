package dev.switchboard.core.conversation;

/** The core's answer to a call that started: accept for some seconds, or refuse and hang up. */
public record CallDecision(boolean accepted, int maxSeconds, String text, String refusalReason) {

  public static CallDecision accept(int maxSeconds, String greeting) {
    return new CallDecision(true, maxSeconds, greeting, "");
  }

  public static CallDecision refuse(String reason, String text) {
    return new CallDecision(false, 0, text, reason);
  }

  /** Stored form, so a redelivered CallStarted republishes the same directive. */
  public String encode() {
    return (accepted ? "accept" : "refuse") + "|" + maxSeconds + "|" + refusalReason + "|" + text;
  }

  public static CallDecision decode(String stored) {
    String[] parts = stored.split("\\|", 4);
    return new CallDecision(
        "accept".equals(parts[0]), Integer.parseInt(parts[1]), parts[3], parts[2]);
  }
}

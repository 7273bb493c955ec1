package dev.switchboard.core.conversation;

import dev.switchboard.core.client.ModelCall;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The model generation running for each conversation, so that control events (interruption, call
 * ended) can stop it at once instead of waiting in the conversation's lane behind it.
 */
public final class InFlightTurns {

  /** One generation in flight. */
  public static final class Active {
    private final String eventId;
    private volatile ModelCall call;
    private volatile boolean interrupted;
    private volatile boolean stopped;
    private volatile String heardText;

    Active(String eventId) {
      this.eventId = eventId;
    }

    public String eventId() {
      return eventId;
    }

    /** The person spoke over the reply: what was said so far stays, marked interrupted. */
    public boolean interrupted() {
      return interrupted;
    }

    /**
     * The words of the reply the person heard before interrupting, when the channel said; null
     * otherwise. What the turn stores and reports instead of what was generated so far.
     */
    public String heardText() {
      return heardText;
    }

    /** Interrupted or hung up: no more output for this turn. */
    public boolean stopped() {
      return stopped;
    }

    void attach(ModelCall call) {
      this.call = call;
      if (stopped) {
        call.cancel();
      }
    }

    void stop(boolean byInterruption, String heard) {
      if (byInterruption && heard != null) {
        heardText = heard;
      }
      interrupted |= byInterruption;
      stopped = true;
      ModelCall current = call;
      if (current != null) {
        current.cancel();
      }
    }
  }

  private final Map<String, Active> active = new ConcurrentHashMap<>();

  public Active begin(String conversationKey, String eventId) {
    Active turn = new Active(eventId);
    active.put(conversationKey, turn);
    return turn;
  }

  public void attach(Active turn, ModelCall call) {
    turn.attach(call);
  }

  public void end(String conversationKey, Active turn) {
    active.remove(conversationKey, turn);
  }

  /**
   * Stops the generation for {@code conversationKey} if it answers {@code replyTo} (or any when
   * {@code replyTo} is blank). Returns whether something was stopped.
   *
   * @param heardText what the person heard of the reply, or null when the channel did not say
   */
  public boolean interrupt(String conversationKey, String replyTo, String heardText) {
    Active turn = active.get(conversationKey);
    if (turn == null || (!replyTo.isBlank() && !replyTo.equals(turn.eventId()))) {
      return false;
    }
    turn.stop(true, heardText);
    return true;
  }

  /** The call is over: stop whatever is being generated for it. */
  public boolean hangUp(String conversationKey) {
    Active turn = active.get(conversationKey);
    if (turn == null) {
      return false;
    }
    turn.stop(false, null);
    return true;
  }
}

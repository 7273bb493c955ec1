package dev.switchboard.core.messaging;

/** Names of the SmallRye channels configured in application.properties. */
public final class Channels {
  /** conversation.inbound, read as bytes. */
  public static final String INBOUND = "inbound";

  /** privacy.erasure. */
  public static final String ERASURES = "erasures";

  /** safety.enforcement, read as bytes. */
  public static final String ENFORCEMENT = "enforcement";

  private Channels() {}
}

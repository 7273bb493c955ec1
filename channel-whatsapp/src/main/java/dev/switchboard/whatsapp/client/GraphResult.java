package dev.switchboard.whatsapp.client;

/** The outcome of one Graph API call. */
public sealed interface GraphResult {
  /** Accepted by Meta; {@code wamid} is empty for calls that return no message id. */
  record Ok(String wamid) implements GraphResult {}

  /**
   * Refused or not reached.
   *
   * @param httpStatus 0 when no HTTP answer arrived
   * @param code the Cloud API error code, or 0 when the answer had none
   * @param retryable true for throttling and transient failures worth another try
   */
  record Failed(int httpStatus, int code, String title, boolean retryable) implements GraphResult {}
}

package dev.switchboard.whatsapp.config;

import java.util.Optional;

/** A business number we answer on, with the credentials of its Meta app. */
public record PhoneNumber(
    String phoneNumberId,
    String accessToken,
    String appSecret,
    Optional<String> templateName,
    String templateLanguage) {

  @Override
  public String toString() {
    // Never print credentials.
    return "PhoneNumber[" + phoneNumberId + "]";
  }
}

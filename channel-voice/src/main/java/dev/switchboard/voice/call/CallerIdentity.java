package dev.switchboard.voice.call;

import java.util.Optional;

/**
 * Who is calling, as far as the signalling says.
 *
 * @param e164 the caller's number in E.164 ({@code +12125551212}) when it could be read; personal
 *     data, never logged
 * @param region ISO 3166-1 alpha-2 region of that number, or empty
 * @param anonymous the caller withheld their identity (Privacy: id, anonymous URI, RPID privacy)
 * @param source which header the number came from: {@code P-Asserted-Identity}, {@code
 *     Remote-Party-ID}, {@code From}, or {@code none}
 */
public record CallerIdentity(
    Optional<String> e164, Optional<String> region, boolean anonymous, String source) {
  public static CallerIdentity unknown(boolean anonymous) {
    return new CallerIdentity(Optional.empty(), Optional.empty(), anonymous, "none");
  }
}

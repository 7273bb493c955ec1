package dev.switchboard.voice.security;

import dev.switchboard.voice.sip.SipRequest;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * Who may place calls: sources on a trunk allow-list, or, when digest is configured, softphones
 * that authenticate. Everyone else is denied.
 */
public final class SipAccessPolicy {

  /** The verdict on one out-of-dialog request. */
  public sealed interface Decision {
    /** From an allow-listed trunk; network-asserted identity may be believed. */
    record Trusted(String trunk) implements Decision {}

    /** A digest user proved the password. */
    record Authenticated(String user) implements Decision {}

    /** Ask for credentials (401 with these WWW-Authenticate values). */
    record Challenge(List<String> wwwAuthenticate) implements Decision {}

    /** Not allowed at all (403). */
    record Denied(String reason) implements Decision {}
  }

  private final TrunkAllowList allowList;
  private final Optional<DigestAuthenticator> digest;

  public SipAccessPolicy(TrunkAllowList allowList, Optional<DigestAuthenticator> digest) {
    this.allowList = allowList;
    this.digest = digest;
  }

  /** True for sources on a trunk allow-list (no credentials involved). */
  public boolean isAllowListed(InetAddress source) {
    return allowList.trunkFor(source).isPresent();
  }

  public Decision check(SipRequest request, InetAddress source, long nowMillis) {
    Optional<String> trunk = allowList.trunkFor(source);
    if (trunk.isPresent()) {
      return new Decision.Trusted(trunk.get());
    }
    if (digest.isEmpty()) {
      return new Decision.Denied("Source not allowed");
    }
    String ip = source.getHostAddress();
    DigestAuthenticator.Result r =
        digest.get().verify(request.headers(), request.method(), ip, nowMillis);
    if (r instanceof DigestAuthenticator.Result.Authenticated a) {
      return new Decision.Authenticated(a.user());
    }
    boolean stale = r instanceof DigestAuthenticator.Result.Stale;
    return new Decision.Challenge(digest.get().challenges(ip, nowMillis, stale));
  }
}

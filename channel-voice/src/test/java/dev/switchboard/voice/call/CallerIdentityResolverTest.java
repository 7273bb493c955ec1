package dev.switchboard.voice.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.voice.sip.SipHeaders;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CallerIdentityResolverTest {
  private final CallerIdentityResolver resolver = new CallerIdentityResolver("US");

  private static SipHeaders from(String from) {
    return new SipHeaders().add("From", from);
  }

  @Test
  void nationalNumberInFromBecomesE164() {
    CallerIdentity id =
        resolver.resolve(from("\"Jane\" <sip:2125551212@carrier.example>;tag=1"), true);
    assertEquals(Optional.of("+12125551212"), id.e164());
    assertEquals(Optional.of("US"), id.region());
    assertEquals("From", id.source());
    assertFalse(id.anonymous());
  }

  @Test
  void trustedPaiWinsOverFromButUntrustedIsIgnored() {
    SipHeaders h =
        from("<sip:+12125551212@carrier.example>;tag=1")
            .add("P-Asserted-Identity", "<sip:+442071838750@carrier.example;user=phone>");
    assertEquals(Optional.of("+442071838750"), resolver.resolve(h, true).e164());
    assertEquals(Optional.of("GB"), resolver.resolve(h, true).region());
    assertEquals(
        Optional.of("+12125551212"),
        resolver.resolve(h, false).e164(),
        "anyone can write a PAI header");
  }

  @Test
  void telUriAndVisualSeparators() {
    SipHeaders h =
        from("<sip:anonymous@anonymous.invalid>;tag=1")
            .add("P-Asserted-Identity", "<tel:+1-212-555-1212>");
    CallerIdentity id = resolver.resolve(h, true);
    assertEquals(Optional.of("+12125551212"), id.e164());
  }

  @Test
  void remotePartyIdWithPrivacyIsAnonymousButKeepsTheNumber() {
    SipHeaders h =
        from("<sip:anonymous@anonymous.invalid>;tag=1")
            .add(
                "Remote-Party-ID",
                "<sip:+12125551212@carrier.example>;party=calling;privacy=full;screen=yes");
    CallerIdentity id = resolver.resolve(h, true);
    assertTrue(id.anonymous());
    assertEquals(
        Optional.of("+12125551212"),
        id.e164(),
        "the network still knows who it is (for policy), we never log it");
  }

  @Test
  void anonymousCallers() {
    assertTrue(
        resolver
            .resolve(from("\"Anonymous\" <sip:anonymous@anonymous.invalid>;tag=1"), true)
            .anonymous());
    assertTrue(
        resolver
            .resolve(from("<sip:+12125551212@x.example>;tag=1").add("Privacy", "id"), true)
            .anonymous());
    CallerIdentity none = resolver.resolve(from("<sip:alice@softphone.example>;tag=1"), true);
    assertFalse(none.anonymous());
    assertTrue(none.e164().isEmpty());
  }

  @Test
  void calledNumberFromRequestUri() {
    assertEquals(Optional.of("+15005550001"), resolver.e164("sip:+15005550001@192.0.2.10:5060"));
    assertEquals(Optional.empty(), resolver.e164("sip:service@192.0.2.10"));
  }
}

package dev.switchboard.voice.sip;

import java.nio.charset.StandardCharsets;

/** Wire messages used by the codec tests: RFC 3261 §24 / RFC 4475 torture tests and our own. */
final class SipFixtures {
  private SipFixtures() {}

  static byte[] bytes(String s) {
    return s.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Fills in the Content-Length placeholder {@code %LEN%} with the real body length (CRLF lines).
   */
  static byte[] withBody(String head, String body) {
    String b = body.replace("\n", "\r\n");
    String h = head.replace("%LEN%", Integer.toString(b.getBytes(StandardCharsets.UTF_8).length));
    return (h.replace("\n", "\r\n") + "\r\n" + b).getBytes(StandardCharsets.UTF_8);
  }

  static final String SDP_OFFER =
      """
      v=0
      o=alice 2890844526 2890844526 IN IP4 192.0.2.101
      s=-
      c=IN IP4 192.0.2.101
      t=0 0
      m=audio 49172 RTP/AVP 0 8 101
      a=rtpmap:0 PCMU/8000
      a=rtpmap:8 PCMA/8000
      a=rtpmap:101 telephone-event/8000
      a=fmtp:101 0-16
      a=ptime:20
      """;

  /** RFC 3261 §24.2 F1 INVITE, with a real SDP body. */
  static byte[] rfc3261Invite() {
    return withBody(
        """
        INVITE sip:bob@biloxi.example.com SIP/2.0
        Via: SIP/2.0/UDP client.atlanta.example.com:5060;branch=z9hG4bK74bf9
        Max-Forwards: 70
        From: Alice <sip:alice@atlanta.example.com>;tag=9fxced76sl
        To: Bob <sip:bob@biloxi.example.com>
        Call-ID: 3848276298220188511@atlanta.example.com
        CSeq: 1 INVITE
        Contact: <sip:alice@client.atlanta.example.com;transport=udp>
        Content-Type: application/sdp
        Content-Length: %LEN%
        """,
        SDP_OFFER);
  }

  /** RFC 4475 §3.1.1.1 "wsinv": a short tortuous INVITE (Content-Length recomputed for CRLF). */
  static byte[] wsinv() {
    return withBody(
        """
        INVITE sip:vivekg@chair-dnrc.example.com;unknownparam SIP/2.0
        TO :
         sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n
        from   : "J Rosenberg \\\\\\""       <sip:jdrosen@example.com>
          ;
          tag = 98asjd8
        MaX-fOrWaRdS: 0068
        Call-ID: wsinv.ndaksdj@192.0.2.1
        Content-Length   : %LEN%
        cseq: 0009
          INVITE
        Via  : SIP  /   2.0
         /UDP
            192.0.2.2;branch=390skdjuw
        s :
        NewFangledHeader:   newfangled value
         continued newfangled value
        UnknownHeaderWithUnusualValue: ;;,,;;,;
        Content-Type: application/sdp
        Route:
         <sip:services.example.com;lr;unknownwith=value;unknown-no-value>
        v:  SIP  / 2.0  / TCP     spindle.example.com   ;
          branch  =   z9hG4bK9ikj8  ,
         SIP  /    2.0   / UDP  192.168.255.111   ; branch=
         z9hG4bK30239
        m:"Quoted string \\"\\"" <sip:jdrosen@example.com> ; newparam =
              newvalue ;
          secondparam ; q = 0.33
        """,
        """
        v=0
        o=mhandley 29739 7272939 IN IP4 192.0.2.3
        s=-
        c=IN IP4 192.0.2.4
        t=0 0
        m=audio 49217 RTP/AVP 0 12
        m=video 3227 RTP/AVP 31
        a=rtpmap:31 LPC
        """);
  }

  /** RFC 4475 §3.1.1.2 "intmeth": wide range of valid characters, unknown method. */
  static final String INTMETH =
      """
      !interesting-Method0123456789_*+`.%indeed'~ sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too.(doesn't-it)@example.com SIP/2.0
      Via: SIP/2.0/TCP host1.example.com;branch=z9hG4bK-.!%66*_+`'~
      To: "BEL:\\\u0007 NUL:\\\u0000 DEL:\\\u007F" <sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*@example.com>
      From: token1~` token2'+_ token3*%!.- <sip:mundane@example.com>;fromParam''~+*_!.-%="\u0440\u0430\u0431\u043e\u0442\u0430\u044e\u0449\u0438\u0439";tag=_token~1'+`*%!-.
      Call-ID: intmeth.word%ZK-!.*_+'@word`~)(><:\\/"][?}{
      CSeq: 139122385 !interesting-Method0123456789_*+`.%indeed'~
      Max-Forwards: 255
      extensionHeader-!.%*+_`'~:\uFEFF\u5927\u505C\u96FB
      Content-Length: 0

      """;

  /** RFC 4475 §3.1.1.3 "esc01": escaped characters in the user part. */
  static final String ESC01 =
      """
      INVITE sip:sips%3Auser%40example.com@example.net SIP/2.0
      To: sip:%75se%72@example.com
      From: <sip:I%20have%20spaces@example.net>;tag=938
      Max-Forwards: 87
      i: esc01.239409asdfakjkn23onasd0-3234
      CSeq: 234234 INVITE
      Via: SIP/2.0/UDP host5.example.net;branch=z9hG4bKkdjuw
      C: application/sdp
      Contact:
        <sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31>
      Content-Length: 0

      """;

  static String options(String extraHeaders) {
    return """
        OPTIONS sip:carol@chicago.example.com SIP/2.0
        Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bKhjhs8ass877
        Max-Forwards: 70
        To: <sip:carol@chicago.example.com>
        From: Alice <sip:alice@atlanta.example.com>;tag=1928301774
        Call-ID: a84b4c76e66710
        CSeq: 63104 OPTIONS
        Contact: <sip:alice@pc33.atlanta.example.com>
        Accept: application/sdp
        """
        + extraHeaders
        + "Content-Length: 0\n\n";
  }
}

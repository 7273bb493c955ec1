package dev.switchboard.voice.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * RFC 3264 offer/answer for one audio stream: G.711 (µ-law or A-law, in the configured preference)
 * plus telephone-event. Extra or unusable m-lines are answered with port 0. No common codec is a
 * {@link Outcome.NotAcceptable} the user agent turns into 488.
 */
public final class SdpNegotiator {

  /** Result of answering an offer or reading an answer. */
  public sealed interface Outcome {
    record Agreed(NegotiatedMedia media, String answerSdp) implements Outcome {}

    record NotAcceptable(String reason) implements Outcome {}
  }

  private final List<String> codecPreference;
  private final int telephoneEventPayloadType;
  private final int ptimeMs;
  private final String localAddress;

  /**
   * @param codecPreference encoding names in preference order, e.g. {@code [PCMU, PCMA]}
   * @param telephoneEventPayloadType payload type we offer for RFC 4733 events
   * @param ptimeMs our packet time
   * @param localAddress the address our RTP socket is reachable at (written in c=)
   */
  public SdpNegotiator(
      List<String> codecPreference,
      int telephoneEventPayloadType,
      int ptimeMs,
      String localAddress) {
    this.codecPreference =
        codecPreference.stream().map(c -> c.trim().toUpperCase(Locale.ROOT)).toList();
    this.telephoneEventPayloadType = telephoneEventPayloadType;
    this.ptimeMs = ptimeMs;
    this.localAddress = localAddress;
  }

  /**
   * Answers an offer; the first usable audio stream is accepted, every other m-line gets port 0.
   */
  public Outcome answer(SessionDescription offer, int localPort, long sessionId, long version) {
    StringBuilder sdp = header(sessionId, version);
    NegotiatedMedia chosen = null;
    String failure = "No audio stream offered";
    for (MediaDescription m : offer.media()) {
      if (chosen == null && m.media().equals("audio") && m.port() != 0 && isRtpAvp(m.proto())) {
        String pt = pickCodec(m);
        if (pt == null) {
          failure = "No common codec (we support " + String.join(", ", codecPreference) + ")";
          reject(sdp, m);
          continue;
        }
        String te = telephoneEvent(m);
        MediaDirection offered = m.direction(offer.sessionDirection());
        MediaDirection ours = offered.answerTo();
        int ptime = ptimeMs;
        String remotePtime = m.attribute("ptime");
        if (remotePtime != null
            && remotePtime.matches("[0-9]{1,3}")
            && Integer.parseInt(remotePtime) >= 10) {
          ptime = Integer.parseInt(remotePtime);
        }
        String address = offer.connectionFor(m);
        if (address == null) {
          return new Outcome.NotAcceptable("No connection address for audio");
        }
        chosen =
            new NegotiatedMedia(
                address,
                m.port(),
                localPort,
                Integer.parseInt(pt),
                codecName(m, pt),
                te == null ? -1 : Integer.parseInt(te),
                ptime,
                ours);
        sdp.append("m=audio ")
            .append(localPort)
            .append(' ')
            .append(m.proto())
            .append(' ')
            .append(pt);
        if (te != null) {
          sdp.append(' ').append(te);
        }
        sdp.append("\r\n");
        sdp.append("a=rtpmap:").append(pt).append(' ').append(codecName(m, pt)).append("/8000\r\n");
        if (te != null) {
          String fmtp = m.fmtp(te);
          sdp.append("a=rtpmap:").append(te).append(" telephone-event/8000\r\n");
          sdp.append("a=fmtp:")
              .append(te)
              .append(' ')
              .append(fmtp == null ? "0-16" : fmtp)
              .append("\r\n");
        }
        sdp.append("a=ptime:").append(ptime).append("\r\n");
        sdp.append("a=").append(ours.attribute()).append("\r\n");
      } else {
        reject(sdp, m);
      }
    }
    if (chosen == null) {
      return new Outcome.NotAcceptable(failure);
    }
    return new Outcome.Agreed(chosen, sdp.toString());
  }

  /** Our offer when the INVITE had none (we send it in the 200; the answer comes in the ACK). */
  public String offer(int localPort, long sessionId, long version) {
    StringBuilder sdp = header(sessionId, version);
    List<String> pts = new ArrayList<>();
    for (String c : codecPreference) {
      pts.add(staticPayloadType(c));
    }
    sdp.append("m=audio ")
        .append(localPort)
        .append(" RTP/AVP ")
        .append(String.join(" ", pts))
        .append(' ')
        .append(telephoneEventPayloadType)
        .append("\r\n");
    for (int i = 0; i < pts.size(); i++) {
      sdp.append("a=rtpmap:")
          .append(pts.get(i))
          .append(' ')
          .append(codecPreference.get(i))
          .append("/8000\r\n");
    }
    sdp.append("a=rtpmap:").append(telephoneEventPayloadType).append(" telephone-event/8000\r\n");
    sdp.append("a=fmtp:").append(telephoneEventPayloadType).append(" 0-16\r\n");
    sdp.append("a=ptime:").append(ptimeMs).append("\r\n");
    sdp.append("a=sendrecv\r\n");
    return sdp.toString();
  }

  /** Reads the peer's answer to {@link #offer}. */
  public Outcome readAnswer(SessionDescription answer, int localPort) {
    for (MediaDescription m : answer.media()) {
      if (m.media().equals("audio") && m.port() != 0) {
        String pt = pickCodec(m);
        String address = answer.connectionFor(m);
        if (pt == null || address == null) {
          return new Outcome.NotAcceptable("Answer has no codec we offered");
        }
        String te = telephoneEvent(m);
        MediaDirection theirs = m.direction(answer.sessionDirection());
        return new Outcome.Agreed(
            new NegotiatedMedia(
                address,
                m.port(),
                localPort,
                Integer.parseInt(pt),
                codecName(m, pt),
                te == null ? -1 : Integer.parseInt(te),
                ptimeMs,
                theirs.answerTo()),
            null);
      }
    }
    return new Outcome.NotAcceptable("Answer rejected the audio stream");
  }

  private StringBuilder header(long sessionId, long version) {
    String ipVersion = localAddress.indexOf(':') >= 0 ? "IP6" : "IP4";
    return new StringBuilder(256)
        .append("v=0\r\n")
        .append("o=switchboard ")
        .append(sessionId)
        .append(' ')
        .append(version)
        .append(" IN ")
        .append(ipVersion)
        .append(' ')
        .append(localAddress)
        .append("\r\n")
        .append("s=switchboard\r\n")
        .append("c=IN ")
        .append(ipVersion)
        .append(' ')
        .append(localAddress)
        .append("\r\n")
        .append("t=0 0\r\n");
  }

  private static void reject(StringBuilder sdp, MediaDescription m) {
    sdp.append("m=").append(m.media()).append(" 0 ").append(m.proto());
    if (m.formats().isEmpty()) {
      sdp.append(" 0");
    }
    for (String f : m.formats()) {
      sdp.append(' ').append(f);
    }
    sdp.append("\r\n");
  }

  private static boolean isRtpAvp(String proto) {
    return proto.equalsIgnoreCase("RTP/AVP") || proto.equalsIgnoreCase("RTP/AVPF");
  }

  /** Our most preferred codec that the offer lists; returns the offer's payload type for it. */
  private String pickCodec(MediaDescription m) {
    for (String wanted : codecPreference) {
      for (String pt : m.formats()) {
        String name = m.encodingName(pt);
        if (name != null && name.startsWith(wanted + "/8000")) {
          return pt;
        }
      }
    }
    return null;
  }

  private static String codecName(MediaDescription m, String pt) {
    String name = m.encodingName(pt);
    int slash = name.indexOf('/');
    return slash < 0 ? name : name.substring(0, slash);
  }

  private static String telephoneEvent(MediaDescription m) {
    for (String pt : m.formats()) {
      String name = m.encodingName(pt);
      if (name != null && name.startsWith("TELEPHONE-EVENT/8000") && pt.matches("[0-9]{1,3}")) {
        return pt;
      }
    }
    return null;
  }

  private static String staticPayloadType(String codec) {
    return switch (codec) {
      case "PCMU" -> "0";
      case "PCMA" -> "8";
      default -> throw new IllegalArgumentException("Unsupported codec in preference: " + codec);
    };
  }
}

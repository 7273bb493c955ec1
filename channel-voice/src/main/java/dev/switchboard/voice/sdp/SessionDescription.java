package dev.switchboard.voice.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An SDP session (RFC 4566) with just what offer/answer needs: origin, session-level connection and
 * attributes, and the media sections. Parsing is line-based and strict about the line shape ({@code
 * x=value}) and the numbers we use, lenient about lines we do not use.
 */
public record SessionDescription(
    String origin,
    String connectionAddress,
    List<String> attributes,
    List<MediaDescription> media) {

  /** Bodies larger than this are not SDP a phone would send; refuse before parsing. */
  public static final int MAX_BYTES = 16_384;

  private static final int MAX_MEDIA = 16;
  private static final Pattern LINE_BREAK = Pattern.compile("\r?\n");
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  public static SessionDescription parse(String text) {
    if (text == null || text.isBlank()) {
      throw new SdpProtocolException("Empty SDP");
    }
    if (text.length() > MAX_BYTES) {
      throw new SdpProtocolException("SDP too large");
    }
    String origin = null;
    String sessionConnection = null;
    List<String> sessionAttributes = new ArrayList<>();
    List<MediaDescription> media = new ArrayList<>();
    String mLine = null;
    String mConnection = null;
    List<String> mAttributes = null;
    boolean sawVersion = false;
    for (String raw : LINE_BREAK.split(text)) {
      if (raw.isEmpty()) {
        continue;
      }
      if (raw.length() < 2 || raw.charAt(1) != '=') {
        throw new SdpProtocolException("Malformed SDP line");
      }
      char type = raw.charAt(0);
      String value = raw.substring(2).trim();
      switch (type) {
        case 'v' -> {
          if (!value.equals("0")) {
            throw new SdpProtocolException("Unsupported SDP version");
          }
          sawVersion = true;
        }
        case 'o' -> origin = value;
        case 'c' -> {
          String addr = parseConnection(value);
          if (mLine == null) {
            sessionConnection = addr;
          } else {
            mConnection = addr;
          }
        }
        case 'm' -> {
          if (mLine != null) {
            media.add(media(mLine, mConnection, mAttributes));
          }
          if (media.size() >= MAX_MEDIA) {
            throw new SdpProtocolException("Too many media sections");
          }
          mLine = value;
          mConnection = null;
          mAttributes = new ArrayList<>();
        }
        case 'a' -> {
          if (mLine == null) {
            sessionAttributes.add(value);
          } else {
            mAttributes.add(value);
          }
        }
        default -> {
          // s=, t=, b=, i=, u=, e=, p=, z=, k=, r= carry nothing offer/answer needs here.
        }
      }
    }
    if (mLine != null) {
      media.add(media(mLine, mConnection, mAttributes));
    }
    if (!sawVersion || origin == null) {
      throw new SdpProtocolException("SDP without v= or o= line");
    }
    return new SessionDescription(
        origin, sessionConnection, List.copyOf(sessionAttributes), List.copyOf(media));
  }

  private static String parseConnection(String value) {
    String[] p = WHITESPACE.split(value);
    if (p.length < 3 || !p[0].equals("IN") || !(p[1].equals("IP4") || p[1].equals("IP6"))) {
      throw new SdpProtocolException("Malformed c= line");
    }
    String addr = p[2];
    int slash = addr.indexOf('/');
    return slash < 0 ? addr : addr.substring(0, slash);
  }

  private static MediaDescription media(String mLine, String connection, List<String> attributes) {
    String[] p = WHITESPACE.split(mLine);
    if (p.length < 3) {
      throw new SdpProtocolException("Malformed m= line");
    }
    String portText = p[1];
    int slash = portText.indexOf('/');
    if (slash >= 0) {
      portText = portText.substring(0, slash);
    }
    if (portText.isEmpty()
        || portText.length() > 5
        || !portText.chars().allMatch(Character::isDigit)) {
      throw new SdpProtocolException("Malformed m= port");
    }
    int port = Integer.parseInt(portText);
    if (port > 65535) {
      throw new SdpProtocolException("m= port out of range");
    }
    List<String> formats = new ArrayList<>();
    for (int i = 3; i < p.length; i++) {
      formats.add(p[i]);
    }
    return new MediaDescription(
        p[0].toLowerCase(Locale.ROOT),
        port,
        p[2],
        List.copyOf(formats),
        connection,
        List.copyOf(attributes));
  }

  public MediaDirection sessionDirection() {
    for (String a : attributes) {
      MediaDirection d = MediaDirection.fromAttribute(a.toLowerCase(Locale.ROOT));
      if (d != null) {
        return d;
      }
    }
    return MediaDirection.SENDRECV;
  }

  /** The connection address for a media section: its own c= or the session's. */
  public String connectionFor(MediaDescription m) {
    return m.connectionAddress() != null ? m.connectionAddress() : connectionAddress;
  }
}

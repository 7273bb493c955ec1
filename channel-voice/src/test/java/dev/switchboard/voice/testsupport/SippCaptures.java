package dev.switchboard.voice.testsupport;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * RTP captured by another implementation: the pcap files SIPp ships in Debian's {@code sip-tester}
 * package (G.711 A-law speech and RFC 2833/4733 DTMF). Missing files fail the test when {@code
 * CI=true} (install {@code sip-tester}); elsewhere the test is skipped.
 */
public final class SippCaptures {

  /** Where Debian installs SIPp's pcaps. */
  public static final Path DIRECTORY = Path.of("/usr/share/sip-tester");

  /** One captured UDP datagram and its capture time. */
  public record Datagram(long captureNanos, byte[] payload) {}

  private SippCaptures() {}

  /** The UDP payloads of an Ethernet/IPv4 pcap from SIPp's directory. */
  public static List<Datagram> read(String file) {
    Path path = DIRECTORY.resolve(file);
    if (!Files.isReadable(path)) {
      String message = path + " is missing: install the Debian package sip-tester";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(message);
      }
      Assumptions.abort(message);
    }
    try {
      ByteBuffer pcap = ByteBuffer.wrap(Files.readAllBytes(path));
      int magic = pcap.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
      if (magic != 0xA1B2C3D4) {
        pcap.order(ByteOrder.BIG_ENDIAN);
      }
      if (pcap.getInt(20) != 1) {
        throw new IllegalStateException(file + ": only Ethernet captures are supported");
      }
      List<Datagram> datagrams = new ArrayList<>();
      int position = 24;
      while (position + 16 <= pcap.limit()) {
        long seconds = pcap.getInt(position) & 0xFFFFFFFFL;
        long micros = pcap.getInt(position + 4) & 0xFFFFFFFFL;
        int captured = pcap.getInt(position + 8);
        int frame = position + 16;
        int ipHeader = (pcap.get(frame + 14) & 0x0F) * 4;
        int udp = frame + 14 + ipHeader;
        int udpLength = ((pcap.get(udp + 4) & 0xFF) << 8) | (pcap.get(udp + 5) & 0xFF);
        byte[] payload = new byte[udpLength - 8];
        System.arraycopy(pcap.array(), udp + 8, payload, 0, payload.length);
        datagrams.add(new Datagram(seconds * 1_000_000_000L + micros * 1000L, payload));
        position = frame + captured;
      }
      return datagrams;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}

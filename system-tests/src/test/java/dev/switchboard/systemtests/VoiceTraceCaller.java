package dev.switchboard.systemtests;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * VoiceTraceIT's caller: a real SIP peer (SIPp, Debian {@code sip-tester}) places one PCMU call
 * whose media points at this class's own UDP socket, which counts the RTP packets the platform
 * sends and the frames that carry speech (µ-law decoded, peak above a threshold), so the test knows
 * the caller heard the greeting. SIPp missing fails under {@code CI=true} and skips otherwise.
 */
final class VoiceTraceCaller implements AutoCloseable {
  /** A frame whose loudest sample exceeds this (of 32767) carries speech, not comfort silence. */
  private static final int SPEECH_PEAK = 1000;

  /** What SIPp reported, for assertion messages. */
  record Outcome(int exitCode, String output) {
    boolean passed() {
      return exitCode == 0;
    }
  }

  private final DatagramSocket rtp;
  private final Thread receiver;
  private final AtomicInteger packets = new AtomicInteger();
  private final AtomicInteger speechFrames = new AtomicInteger();
  private volatile boolean open = true;

  private VoiceTraceCaller() throws IOException {
    rtp = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
    rtp.setSoTimeout(200);
    receiver = new Thread(this::receive, "voice-trace-rtp");
    receiver.setDaemon(true);
    receiver.start();
  }

  /** The SIPp executable; fails the test under CI=true when it is not installed. */
  static Path requireSipp() {
    return RequiredTool.require("sipp", "sip-tester");
  }

  /**
   * Calls {@code sipPort} on 127.0.0.1 from {@code callerE164}, stays on the line for {@code
   * holdMillis}, then hangs up. Returns at once; the future completes when SIPp exits.
   */
  static VoiceTraceCaller call(Path sipp, int sipPort, String callerE164, long holdMillis)
      throws IOException {
    VoiceTraceCaller caller = new VoiceTraceCaller();
    caller.outcome = caller.runSipp(sipp, sipPort, callerE164, holdMillis);
    return caller;
  }

  private CompletableFuture<Outcome> outcome;
  private volatile long sippPid;

  /** The Call-ID SIPp gives its one call ({@code [call_number]-[pid]@[local_ip]}). */
  String callId() {
    return "1-" + sippPid + "@127.0.0.1";
  }

  CompletableFuture<Outcome> outcome() {
    return outcome;
  }

  int packetsReceived() {
    return packets.get();
  }

  int speechFrames() {
    return speechFrames.get();
  }

  private CompletableFuture<Outcome> runSipp(
      Path sipp, int sipPort, String callerE164, long holdMillis) throws IOException {
    Path dir = Files.createTempDirectory("voice-trace-sipp-");
    Path scenario = dir.resolve("answered-call.xml");
    try (InputStream in =
        VoiceTraceCaller.class.getResourceAsStream("/voice-trace/answered-call.xml")) {
      Files.copy(in, scenario, StandardCopyOption.REPLACE_EXISTING);
    }
    Path out = dir.resolve("sipp.out");
    List<String> command =
        new ArrayList<>(
            List.of(
                sipp.toString(),
                "127.0.0.1:" + sipPort,
                "-sf",
                scenario.toString(),
                "-i",
                "127.0.0.1",
                "-p",
                Integer.toString(freeUdpPort()),
                "-mp",
                Integer.toString(freeUdpPort()),
                "-t",
                "u1",
                "-m",
                "1",
                "-l",
                "1",
                "-d",
                Long.toString(holdMillis),
                "-key",
                "rtpport",
                Integer.toString(rtp.getLocalPort()),
                "-key",
                "caller",
                callerE164,
                "-timeout",
                "90",
                "-timeout_error",
                "-recv_timeout",
                "30000",
                "-nostdin"));
    Process process =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    sippPid = process.pid();
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
              process.destroyForcibly();
              return new Outcome(-99, "timed out\n" + Files.readString(out));
            }
            String text = Files.readString(out);
            return new Outcome(
                process.exitValue(),
                text.length() > 4000 ? text.substring(text.length() - 4000) : text);
          } catch (IOException e) {
            return new Outcome(-98, e.toString());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return new Outcome(-97, "interrupted");
          }
        });
  }

  private static int freeUdpPort() throws IOException {
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      return s.getLocalPort();
    }
  }

  private void receive() {
    byte[] buffer = new byte[2048];
    while (open) {
      DatagramPacket p = new DatagramPacket(buffer, buffer.length);
      try {
        rtp.receive(p);
      } catch (SocketTimeoutException e) {
        continue;
      } catch (IOException e) {
        return;
      }
      // RTP version 2, payload type 0 (PCMU), 12-byte header without CSRCs or extension.
      if (p.getLength() <= 12 || (buffer[0] & 0xC0) != 0x80 || (buffer[1] & 0x7F) != 0) {
        continue;
      }
      packets.incrementAndGet();
      int peak = 0;
      for (int i = 12; i < p.getLength(); i++) {
        peak = Math.max(peak, Math.abs(ulawToLinear(buffer[i])));
      }
      if (peak > SPEECH_PEAK) {
        speechFrames.incrementAndGet();
      }
    }
  }

  /** ITU-T G.711 µ-law to 16-bit linear. */
  static int ulawToLinear(byte encoded) {
    int u = ~encoded & 0xFF;
    int exponent = (u >> 4) & 0x07;
    int mantissa = u & 0x0F;
    int magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84;
    return (u & 0x80) != 0 ? -magnitude : magnitude;
  }

  @Override
  public void close() throws InterruptedException {
    open = false;
    receiver.join(1000);
    rtp.close();
  }
}

package dev.switchboard.systemtests;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A SIPp (Debian {@code sip-tester}) user agent client placing one call from a scenario in {@code
 * src/test/resources/voice/sipp}, its SDP pointing at the test's own RTP endpoint.
 */
final class SippCaller implements AutoCloseable {
  private final Process process;
  private final Path output;
  private final Path errors;

  private SippCaller(Process process, Path output, Path errors) {
    this.process = process;
    this.output = output;
    this.errors = errors;
  }

  /**
   * @param scenario file name under {@code voice/sipp}
   * @param sipPort the voice channel's SIP port on 127.0.0.1
   * @param rtpPort where the caller's media is (the test's RTP endpoint)
   * @param holdMillis how long the call is held before the caller hangs up
   * @param callerNumber the caller's E.164 number (the scenario's {@code [caller]})
   */
  static SippCaller call(
      String scenario, int sipPort, int rtpPort, long holdMillis, String callerNumber)
      throws IOException {
    Path sipp = RequiredTool.require("sipp", "sip-tester");
    Path file = scenarioFile(scenario);
    Path dir = Files.createTempDirectory("sipp-");
    Path output = dir.resolve("out.log");
    Path errors = dir.resolve("errors.log");
    List<String> command =
        new ArrayList<>(
            List.of(
                sipp.toString(),
                "127.0.0.1:" + sipPort,
                "-sf",
                file.toString(),
                "-i",
                "127.0.0.1",
                "-p",
                Integer.toString(freeUdpAndTcpPort()),
                // SIPp binds media ports even when it plays nothing; keep them off fixed defaults.
                "-mp",
                Integer.toString(freeUdpPortRun()),
                "-t",
                "u1",
                "-m",
                "1",
                "-l",
                "1",
                "-key",
                "rtpport",
                Integer.toString(rtpPort),
                "-key",
                "caller",
                callerNumber,
                "-d",
                Long.toString(holdMillis),
                "-timeout",
                Long.toString(holdMillis / 1000 + 60),
                "-timeout_error",
                "-recv_timeout",
                "30000",
                "-nostdin",
                "-trace_err",
                "-error_file",
                errors.toString()));
    Process process =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    return new SippCaller(process, output, errors);
  }

  /**
   * One SIPp process placing {@code callers.size()} calls at {@code callsPerSecond}, all held at
   * once: the n-th call is from {@code callers.get(n)[0]} (+E164) with its media at RTP port {@code
   * callers.get(n)[1]}, from an injection file ({@code -inf}, fields {@code [field0]}, {@code
   * [field1]} in the scenario). SIPp gives up on a call after {@code callTimeoutMillis}.
   */
  static SippCaller placeCalls(
      String scenario,
      int sipPort,
      List<String[]> callers,
      int callsPerSecond,
      long callTimeoutMillis)
      throws IOException {
    Path sipp = RequiredTool.require("sipp", "sip-tester");
    Path file = scenarioFile(scenario);
    Path dir = Files.createTempDirectory("sipp-load-");
    Path injection = dir.resolve("callers.csv");
    StringBuilder csv = new StringBuilder("SEQUENTIAL\n");
    for (String[] caller : callers) {
      csv.append(String.join(";", caller)).append('\n');
    }
    Files.writeString(injection, csv);
    Path output = dir.resolve("out.log");
    Path errors = dir.resolve("errors.log");
    String calls = Integer.toString(callers.size());
    List<String> command =
        List.of(
            sipp.toString(),
            "127.0.0.1:" + sipPort,
            "-sf",
            file.toString(),
            "-inf",
            injection.toString(),
            "-i",
            "127.0.0.1",
            "-p",
            Integer.toString(freeUdpAndTcpPort()),
            "-mp",
            Integer.toString(freeUdpPortRun()),
            "-t",
            "u1",
            "-m",
            calls,
            "-l",
            calls,
            "-r",
            Integer.toString(callsPerSecond),
            "-rp",
            "1000",
            "-recv_timeout",
            Long.toString(callTimeoutMillis),
            "-timeout",
            Long.toString(callTimeoutMillis / 1000 + 60),
            "-timeout_error",
            "-nostdin",
            "-trace_err",
            "-error_file",
            errors.toString());
    Process process =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    return new SippCaller(process, output, errors);
  }

  /** Waits for SIPp to end on its own; true when it did within the time and every call passed. */
  boolean awaitSuccess(long timeout, TimeUnit unit) throws InterruptedException {
    return process.waitFor(timeout, unit) && process.exitValue() == 0;
  }

  boolean isRunning() {
    return process.isAlive();
  }

  /** What SIPp reported, for assertion messages. */
  String describe() throws IOException {
    String out = Files.exists(output) ? Files.readString(output) : "";
    String err = Files.exists(errors) ? Files.readString(errors) : "";
    return "sipp "
        + (process.isAlive() ? "running" : "exit " + process.exitValue())
        + "\n--- errors ---\n"
        + err
        + "\n--- output (tail) ---\n"
        + out.substring(Math.max(0, out.length() - 3000));
  }

  /** Ends the call attempt: SIPp stops without a BYE, so the channel ends the call itself. */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  /** Four consecutive free UDP ports (SIPp's audio and video RTP/RTCP), starting even. */
  private static int freeUdpPortRun() throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int base;
      try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
        base = probe.getLocalPort() & ~1;
      }
      if (base + 3 > 65535) {
        continue;
      }
      List<DatagramSocket> held = new ArrayList<>();
      try {
        for (int port = base; port < base + 4; port++) {
          held.add(new DatagramSocket(new InetSocketAddress("127.0.0.1", port)));
        }
        return base;
      } catch (IOException taken) {
        // try another run
      } finally {
        held.forEach(DatagramSocket::close);
      }
    }
    throw new IOException("no run of four free UDP ports");
  }

  /** SIPp opens UDP and TCP on its -p port; find one free for both. */
  private static int freeUdpAndTcpPort() throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
        int port = udp.getLocalPort();
        try (ServerSocket tcp = new ServerSocket()) {
          tcp.bind(new InetSocketAddress("127.0.0.1", port));
          return port;
        } catch (IOException taken) {
          // try another
        }
      }
    }
    throw new IOException("no port free for both UDP and TCP");
  }

  /** A SIPp scenario from the test resources under {@code voice/sipp}. */
  private static Path scenarioFile(String scenario) {
    try {
      return Path.of(SippCaller.class.getResource("/voice/sipp/" + scenario).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}

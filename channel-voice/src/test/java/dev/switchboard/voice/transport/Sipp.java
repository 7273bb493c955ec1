package dev.switchboard.voice.transport;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a SIPp (Debian {@code sip-tester}) UAC scenario from {@code src/test/resources/sipp}. */
final class Sipp {
  /** Exit code and what SIPp wrote, for assertion messages. */
  record Result(int exitCode, String output, String errors) {
    boolean passed() {
      return exitCode == 0;
    }

    /**
     * Retransmissions SIPp saw for a message row of its final statistics screen, e.g. {@code "200"}
     * for the n-th occurrence (1-based) of that response in the scenario.
     */
    int retransmissionsOf(String label, int occurrence) {
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile(
                  "^\\s*" + label + " <-+\\s+(?:E-RTD1\\s+)?(\\d+)\\s+(\\d+)",
                  java.util.regex.Pattern.MULTILINE)
              .matcher(output);
      int seen = 0;
      int last = -1;
      while (m.find()) {
        seen++;
        last = Integer.parseInt(m.group(2));
        if (seen == occurrence) {
          return last;
        }
      }
      return -1;
    }

    String describe() {
      return "sipp exit "
          + exitCode
          + "\n--- errors ---\n"
          + errors
          + "\n--- output (tail) ---\n"
          + tail(output, 3000);
    }
  }

  private Sipp() {}

  static Result run(String scenario, int targetPort, String transport, String... extra) {
    Path sipp = RequiredTool.require("sipp", "sip-tester");
    try {
      Path file = Path.of(Sipp.class.getResource("/sipp/" + scenario).toURI());
      Path dir = Files.createTempDirectory("sipp-");
      Path err = dir.resolve("errors.log");
      Path out = dir.resolve("out.log");
      List<String> cmd =
          new ArrayList<>(
              List.of(
                  sipp.toString(),
                  "127.0.0.1:" + targetPort,
                  "-sf",
                  file.toString(),
                  "-i",
                  "127.0.0.1",
                  "-p",
                  Integer.toString(FreePorts.udpAndTcp()),
                  "-mp",
                  Integer.toString(FreePorts.rtpPair()),
                  "-t",
                  transport,
                  "-m",
                  "1",
                  "-l",
                  "1",
                  "-timeout",
                  "30",
                  "-timeout_error",
                  "-recv_timeout",
                  "10000",
                  "-nostdin",
                  "-trace_err",
                  "-error_file",
                  err.toString()));
      cmd.addAll(List.of(extra));
      Process p =
          new ProcessBuilder(cmd)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-99, Files.readString(out), "timed out");
      }
      String errors = Files.exists(err) ? Files.readString(err) : "";
      return new Result(p.exitValue(), Files.readString(out), errors);
    } catch (IOException | URISyntaxException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String tail(String s, int n) {
    return s.length() <= n ? s : s.substring(s.length() - n);
  }
}

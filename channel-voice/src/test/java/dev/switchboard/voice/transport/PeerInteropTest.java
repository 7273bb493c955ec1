package dev.switchboard.voice.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;

/**
 * Real user agents and proxies from Debian calling the service: baresip dials in, sends a 440 Hz
 * tone and records what it hears (the echo test mode must send the tone back); SIPp calls through
 * Kamailio, which record-routes, and our BYE must follow that route.
 */
@QuarkusTest
class PeerInteropTest {
  private final SipServer server;

  PeerInteropTest(SipServer server) {
    this.server = server;
  }

  @Test
  void baresipCallsInAndHearsItsOwnToneEchoed() throws Exception {
    Path baresip = RequiredTool.require("baresip", "baresip-core");
    Path dir = Files.createTempDirectory("baresip-");
    Path tone = dir.resolve("tone.wav");
    writeTone(tone, 440, 4);
    int sipPort = FreePorts.udpAndTcp();
    int rtp = FreePorts.rtpPair();
    Files.writeString(
        dir.resolve("config"),
        String.join(
            "\n",
            "poll_method epoll",
            "sip_listen 127.0.0.1:" + sipPort,
            "net_interface 127.0.0.1",
            "audio_player aubridge,x",
            "audio_alert aubridge,x",
            "audio_source aufile," + tone,
            "audio_srate 8000",
            "audio_channels 1",
            "rtp_ports " + rtp + "-" + (rtp + 1),
            "module_path /usr/lib/baresip/modules",
            "module stdio.so",
            "module g711.so",
            "module aufile.so",
            "module aubridge.so",
            "module sndfile.so",
            "module_app account.so",
            "module_app menu.so",
            "snd_path " + dir,
            ""));
    Files.writeString(
        dir.resolve("accounts"), "<sip:caller@127.0.0.1>;regint=0;audio_codecs=PCMU\n");
    long startedBefore = server.stats().callsStarted.get();
    Path log = dir.resolve("baresip.log");
    Process p =
        new ProcessBuilder(
                baresip.toString(),
                "-f",
                dir.toString(),
                "-e",
                "/dial sip:+15005550001@127.0.0.1:" + server.port(),
                "-t",
                "10")
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    String output = Files.readString(log);
    assertTrue(output.contains("Call established"), output);
    assertEquals(1, server.stats().callsStarted.get() - startedBefore);
    List<Path> heard;
    try (var files = Files.list(dir)) {
      heard = files.filter(f -> f.getFileName().toString().endsWith("-dec.wav")).toList();
    }
    assertEquals(1, heard.size(), "baresip recorded what it heard");
    short[] samples = readPcm(heard.get(0));
    double at440 = goertzel(samples, 440);
    double at1000 = goertzel(samples, 1000);
    assertTrue(samples.length > 8000, "at least a second of audio came back: " + samples.length);
    assertTrue(
        at440 > 20 * at1000,
        "the tone came back (440 Hz power " + at440 + " vs 1 kHz " + at1000 + ")");
    for (int i = 0; i < 50 && server.admission().activeCalls() > 0; i++) {
      Thread.sleep(100);
    }
    assertEquals(0, server.admission().activeCalls(), "baresip hung up and the call was released");
  }

  @Test
  void callThroughKamailioFollowsRecordRoute() throws Exception {
    Path kamailio = RequiredTool.require("kamailio", "kamailio");
    Path dir = Files.createTempDirectory("kamailio-");
    int proxyPort = FreePorts.udpAndTcp();
    String cfg;
    try (InputStream in = getClass().getResourceAsStream("/kamailio/kamailio.cfg")) {
      cfg =
          new String(in.readAllBytes())
              .replace("@PROXY_PORT@", Integer.toString(proxyPort))
              .replace("@UAS_PORT@", Integer.toString(server.port()));
    }
    Path cfgFile = dir.resolve("kamailio.cfg");
    Files.writeString(cfgFile, cfg);
    Path log = dir.resolve("kamailio.log");
    Process proxy =
        new ProcessBuilder(
                kamailio.toString(),
                "-f",
                cfgFile.toString(),
                "-DD",
                "-E",
                "-m",
                "32",
                "-M",
                "4",
                "-Y",
                dir.toString(),
                "-w",
                dir.toString(),
                "-P",
                dir.resolve("pid").toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      waitForLog(log, "proxy", proxy);
      long startedBefore = server.stats().callsStarted.get();
      Sipp.Result r = Sipp.run("via-proxy.xml", proxyPort, "u1");
      assertTrue(
          r.passed(),
          () ->
              "call through the proxy failed\n"
                  + r.describe()
                  + "\n--- kamailio ---\n"
                  + readQuietly(log));
      assertEquals(1, server.stats().callsStarted.get() - startedBefore);
      String proxyLog = readQuietly(log);
      assertTrue(proxyLog.contains("proxy: initial INVITE"), proxyLog);
      assertTrue(
          proxyLog.contains("proxy: in-dialog BYE"),
          "our BYE went through the proxy:\n" + proxyLog);
    } finally {
      proxy.destroy();
      if (!proxy.waitFor(5, TimeUnit.SECONDS)) {
        proxy.destroyForcibly();
      }
    }
  }

  /** Kamailio forks workers; wait until it logs that it is listening. */
  private static void waitForLog(Path log, String ignored, Process p) throws Exception {
    for (int i = 0; i < 50; i++) {
      String s = readQuietly(log);
      if (s.contains("udp: 127.0.0.1")
          || s.contains("INFO: <core>")
          || s.contains("Listening on")) {
        Thread.sleep(300);
        return;
      }
      if (!p.isAlive()) {
        throw new AssertionError("kamailio exited:\n" + s);
      }
      Thread.sleep(100);
    }
    Thread.sleep(500);
  }

  private static String readQuietly(Path f) {
    try {
      return Files.readString(f);
    } catch (IOException e) {
      return "";
    }
  }

  static void writeTone(Path file, int hz, int seconds) throws IOException {
    int n = 8000 * seconds;
    byte[] pcm = new byte[n * 2];
    for (int i = 0; i < n; i++) {
      short s = (short) (8000 * Math.sin(2 * Math.PI * hz * i / 8000.0));
      pcm[2 * i] = (byte) s;
      pcm[2 * i + 1] = (byte) (s >> 8);
    }
    AudioFormat f = new AudioFormat(8000, 16, 1, true, false);
    try (AudioInputStream in = new AudioInputStream(new java.io.ByteArrayInputStream(pcm), f, n)) {
      AudioSystem.write(in, javax.sound.sampled.AudioFileFormat.Type.WAVE, file.toFile());
    }
  }

  static short[] readPcm(Path wav) throws Exception {
    try (AudioInputStream in = AudioSystem.getAudioInputStream(wav.toFile())) {
      byte[] b = in.readAllBytes();
      boolean big = in.getFormat().isBigEndian();
      short[] s = new short[b.length / 2];
      for (int i = 0; i < s.length; i++) {
        int lo = b[2 * i + (big ? 1 : 0)] & 0xff;
        int hi = b[2 * i + (big ? 0 : 1)];
        s[i] = (short) ((hi << 8) | lo);
      }
      return s;
    }
  }

  /** Power of one frequency over the whole signal. */
  static double goertzel(short[] x, double hz) {
    double w = 2 * Math.PI * hz / 8000;
    double c = 2 * Math.cos(w);
    double s1 = 0;
    double s2 = 0;
    for (short v : x) {
      double s0 = v + c * s1 - s2;
      s2 = s1;
      s1 = s0;
    }
    return s1 * s1 + s2 * s2 - c * s1 * s2;
  }
}

package dev.switchboard.voice.transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A test peer on one TCP or TLS connection: writes hand-written SIP and reads whole messages framed
 * by Content-Length (RFC 3261 §18.3). Independent of the code under test.
 */
final class StreamSipPeer implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  StreamSipPeer(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  String localIp() {
    return socket.getLocalAddress().getHostAddress();
  }

  int localPort() {
    return socket.getLocalPort();
  }

  void send(String message) throws IOException {
    out.write(message.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** The next whole message, or null when none arrives within {@code timeoutMs}. */
  String next(int timeoutMs) throws IOException {
    socket.setSoTimeout(timeoutMs);
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    try {
      while (!endsWithBlankLine(head.toByteArray())) {
        int b = in.read();
        if (b < 0) {
          return null;
        }
        head.write(b);
      }
    } catch (SocketTimeoutException e) {
      return null;
    }
    String headers = head.toString(StandardCharsets.UTF_8);
    String length = RawSipClient.header(headers, "Content-Length");
    byte[] body = in.readNBytes(length == null ? 0 : Integer.parseInt(length));
    return headers + new String(body, StandardCharsets.UTF_8);
  }

  /** The next message whose first line starts with {@code prefix}, skipping others. */
  String nextStartingWith(String prefix, int timeoutMs) throws IOException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (System.currentTimeMillis() < deadline) {
      String m = next((int) Math.max(1, deadline - System.currentTimeMillis()));
      if (m == null) {
        return null;
      }
      if (m.startsWith(prefix)) {
        return m;
      }
    }
    return null;
  }

  private static boolean endsWithBlankLine(byte[] b) {
    int n = b.length;
    return n >= 4 && b[n - 4] == '\r' && b[n - 3] == '\n' && b[n - 2] == '\r' && b[n - 1] == '\n';
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}

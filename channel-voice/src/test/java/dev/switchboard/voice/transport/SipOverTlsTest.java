package dev.switchboard.voice.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/**
 * A trunk that requires TLS: the handshake presents our configured certificate, a whole call runs
 * over the one TLS connection (our 200's Contact says transport=tls and the TLS port, our BYE comes
 * back on that connection with a TLS Via), a BYE to a TLS proxy hop goes over a connection we open
 * and verify, and plaintext or an untrusting client gets nothing.
 */
@QuarkusTest
@TestProfile(TlsProfile.class)
class SipOverTlsTest {
  private final SipServer server;

  SipOverTlsTest(SipServer server) {
    this.server = server;
  }

  @Test
  void aCallRunsOverTlsAndOurByeUsesTheSameConnection() throws Exception {
    try (StreamSipPeer caller = new StreamSipPeer(tlsSocket(trustingTestCertificate()))) {
      CallerScript call =
          new CallerScript(
              "TLS", caller.localIp(), caller.localPort(), server.tlsPort(), "TLS Caller");
      caller.send(call.options());
      String options = caller.nextStartingWith("SIP/2.0 200", 3000);
      assertNotNull(options, "OPTIONS over TLS answered");
      assertTrue(RawSipClient.header(options, "Via").startsWith("SIP/2.0/TLS"), options);

      caller.send(call.invite());
      String ok = caller.nextStartingWith("SIP/2.0 200", 5000);
      assertNotNull(ok, "the INVITE over TLS is answered");
      String contact = RawSipClient.header(ok, "Contact");
      assertTrue(
          contact.contains(":" + server.tlsPort() + ";transport=tls"),
          () -> "Contact must lead back to the TLS listener: " + contact);

      caller.send(call.ack(ok));
      caller.send(call.dtmfInfo(ok, '#')); // the echo test mode hangs up on '#'
      String bye = caller.nextStartingWith("BYE ", 5000);
      assertNotNull(bye, "our BYE arrives on the caller's TLS connection");
      assertTrue(RawSipClient.header(bye, "Via").startsWith("SIP/2.0/TLS"), bye);
      caller.send(CallerScript.okTo(bye));
    }
  }

  @Test
  void plaintextOnTheTlsPortGetsNoSipAndTheListenerCarriesOn() throws Exception {
    try (StreamSipPeer plain = new StreamSipPeer(new Socket("127.0.0.1", server.tlsPort()))) {
      CallerScript call =
          new CallerScript("TCP", plain.localIp(), plain.localPort(), server.tlsPort(), "Plain");
      plain.send(call.options());
      assertNull(plain.next(1500), "no SIP response to plaintext on the TLS port");
    } catch (IOException closedByServer) {
      // The server may close the connection on the failed handshake; that is also no response.
    }
    try (StreamSipPeer caller = new StreamSipPeer(tlsSocket(trustingTestCertificate()))) {
      CallerScript call =
          new CallerScript("TLS", caller.localIp(), caller.localPort(), server.tlsPort(), "After");
      caller.send(call.options());
      assertNotNull(caller.nextStartingWith("SIP/2.0 200", 3000));
    }
  }

  @Test
  void aClientThatDoesNotTrustOurCertificateFailsTheHandshake() throws Exception {
    SSLContext defaultTrust = SSLContext.getInstance("TLS");
    defaultTrust.init(null, null, null);
    assertThrows(SSLHandshakeException.class, () -> tlsSocket(defaultTrust).close());
  }

  @Test
  void theHandshakePresentsTheConfiguredCertificate() throws Exception {
    try (SSLSocket socket = tlsSocket(trustingTestCertificate())) {
      X509Certificate presented = (X509Certificate) socket.getSession().getPeerCertificates()[0];
      assertEquals(testCertificate(), presented);
    }
  }

  @Test
  void ourByeReachesATlsProxyHopOverAVerifiedConnection() throws Exception {
    try (SSLServerSocket proxy = tlsServerSocket();
        RawSipClient udp = new RawSipClient("127.0.0.1", server.port())) {
      proxy.setSoTimeout(5000);
      String recordRoute =
          "Record-Route: <sip:127.0.0.1:" + proxy.getLocalPort() + ";transport=tls;lr>\r\n";
      CallerScript call =
          new CallerScript("UDP", udp.localIp(), udp.localPort(), server.port(), "Via Proxy");
      udp.send(call.invite(recordRoute));
      String ok = udp.finalResponse(call.callId, 1, 5000);
      assertNotNull(ok);
      assertEquals(200, RawSipClient.status(ok));
      udp.send(call.ack(ok));
      udp.send(call.dtmfInfo(ok, '#'));
      try (Socket accepted = proxy.accept();
          StreamSipPeer hop = new StreamSipPeer(accepted)) {
        String bye = hop.nextStartingWith("BYE ", 5000);
        assertNotNull(bye, "our BYE went to the TLS hop of the route set");
        assertTrue(RawSipClient.header(bye, "Via").startsWith("SIP/2.0/TLS"), bye);
        assertTrue(RawSipClient.header(bye, "Route").contains(":" + proxy.getLocalPort()), bye);
        hop.send(CallerScript.okTo(bye));
      }
    }
  }

  /** A TLS server with the test certificate, which the service trusts through its trust store. */
  private static SSLServerSocket tlsServerSocket() throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in =
        SipOverTlsTest.class.getClassLoader().getResourceAsStream("tls/sip-test.p12")) {
      keys.load(in, TlsProfile.PASSWORD.toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, TlsProfile.PASSWORD.toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), null, null);
    return (SSLServerSocket)
        context
            .getServerSocketFactory()
            .createServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress());
  }

  private SSLSocket tlsSocket(SSLContext context) throws IOException {
    SSLSocket socket =
        (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", server.tlsPort());
    socket.setSoTimeout(5000);
    socket.startHandshake();
    return socket;
  }

  private static SSLContext trustingTestCertificate() throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry("sip-test", testCertificate());
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }

  private static Certificate testCertificate() throws Exception {
    try (InputStream pem =
        SipOverTlsTest.class.getClassLoader().getResourceAsStream("tls/sip-test.crt")) {
      return CertificateFactory.getInstance("X.509").generateCertificate(pem);
    }
  }
}

package dev.switchboard.voice.transport;

import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import java.util.Optional;

/**
 * How the SIP transport listens and connects beyond UDP and TCP.
 *
 * @param udpSizeThreshold messages to UDP peers larger than this go over TCP; 0 = never
 * @param tlsServer the TLS listener's options, empty when TLS is off
 * @param tlsPort the TLS port to bind (0 picks one)
 * @param tlsClient options for TLS connections we open to a peer
 */
record SipTransportOptions(
    int udpSizeThreshold,
    Optional<NetServerOptions> tlsServer,
    int tlsPort,
    NetClientOptions tlsClient) {}

package dev.switchboard.voice.pacing;

/**
 * Where a stream's datagrams go: the transport's non-blocking UDP socket, bound to the call's
 * latched remote address. Must not block and must not keep {@code datagram} after returning (the
 * buffer is reused).
 */
@FunctionalInterface
public interface PacketSink {

  void send(byte[] datagram, int length);
}

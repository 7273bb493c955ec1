/**
 * One call's media, assembled: {@link dev.switchboard.voice.media.CallMedia} (datagrams in, one
 * tick per 20 ms, pipeline events out), {@link dev.switchboard.voice.media.SymmetricRtpLatch} for
 * NAT, and {@link dev.switchboard.voice.media.TurnTimeline} for per-turn latency stages. The
 * transport package wires these to sockets; nothing here does I/O.
 */
package dev.switchboard.voice.media;

/**
 * RTP and RTCP (RFC 3550): {@link dev.switchboard.voice.rtp.RtpParser} / {@link
 * dev.switchboard.voice.rtp.RtpSerializer} for data packets (malformed datagrams are counted {@link
 * dev.switchboard.voice.rtp.RtpParseResult.Dropped} results, never exceptions), {@link
 * dev.switchboard.voice.rtp.RtcpCodec} for compound SR/RR/SDES/BYE, and {@link
 * dev.switchboard.voice.rtp.ReceptionStatistics} for loss and jitter per appendix A. Plain Java, no
 * I/O.
 */
package dev.switchboard.voice.rtp;

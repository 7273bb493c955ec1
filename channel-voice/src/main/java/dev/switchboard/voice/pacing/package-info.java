/**
 * Sending: one shared {@link dev.switchboard.voice.pacing.PacedScheduler} thread drives every
 * call's 20 ms packets ({@link dev.switchboard.voice.pacing.RtpSenderStream}) and measures send
 * lateness.
 */
package dev.switchboard.voice.pacing;

/**
 * The caller's side of the timing problem: an adaptive {@link
 * dev.switchboard.voice.jitter.JitterBuffer} between the socket and the 20 ms playout tick, and
 * {@link dev.switchboard.voice.jitter.LossConcealer} for frames that never came.
 */
package dev.switchboard.voice.jitter;

/**
 * Key presses: RFC 4733 telephone-event payloads ({@link
 * dev.switchboard.voice.dtmf.TelephoneEvent}), one digit per press with end-of-event dedupe ({@link
 * dev.switchboard.voice.dtmf.DtmfReceiver}), the sender's packet train ({@link
 * dev.switchboard.voice.dtmf.TelephoneEventPackets}) and SIP INFO bodies ({@link
 * dev.switchboard.voice.dtmf.DtmfInfoBody}).
 */
package dev.switchboard.voice.dtmf;

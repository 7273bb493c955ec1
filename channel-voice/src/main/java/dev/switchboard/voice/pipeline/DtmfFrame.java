package dev.switchboard.voice.pipeline;

import dev.switchboard.voice.dtmf.DtmfDigit;

/** The caller pressed a key (RFC 4733 or SIP INFO). Never cancelled by an interruption. */
public record DtmfFrame(DtmfDigit digit) implements ControlFrame {}

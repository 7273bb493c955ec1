package dev.switchboard.voice.conversation;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts of what happened in one call, for the one log line each call ends with: an operator can
 * tell "the caller spoke but nothing was recognised" from "nothing was heard at all" without a
 * trace. Counts only; never text or numbers.
 */
final class CallTally {
  final AtomicInteger speechStarts = new AtomicInteger();
  final AtomicInteger discarded = new AtomicInteger();
  final AtomicInteger utterances = new AtomicInteger();
  final AtomicInteger emptyTranscripts = new AtomicInteger();
  final AtomicInteger sttFailures = new AtomicInteger();
  final AtomicInteger userMessages = new AtomicInteger();
  final AtomicInteger replyChunks = new AtomicInteger();
  final AtomicInteger interruptions = new AtomicInteger();

  @Override
  public String toString() {
    return "speech_starts="
        + speechStarts
        + " discarded="
        + discarded
        + " utterances="
        + utterances
        + " empty_transcripts="
        + emptyTranscripts
        + " stt_failures="
        + sttFailures
        + " user_messages="
        + userMessages
        + " reply_chunks="
        + replyChunks
        + " interruptions="
        + interruptions;
  }
}

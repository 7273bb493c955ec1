package dev.switchboard.safety.transcript;

import jakarta.enterprise.context.ApplicationScoped;

/** What happens to a turn after it arrives: store once, then classify and open cases. */
@ApplicationScoped
public class TurnPipeline {
  private final TranscriptIngestor ingestor;

  public TurnPipeline(TranscriptIngestor ingestor) {
    this.ingestor = ingestor;
  }

  /** Returns true when the turn was new. Redelivered turns change nothing. */
  public boolean accept(CompletedTurn turn) {
    return ingestor.store(turn);
  }
}

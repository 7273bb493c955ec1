package dev.switchboard.voice.transport;

import dev.switchboard.voice.transaction.SipTimers;
import io.vertx.core.Vertx;

/** Protocol timers as Vert.x timers; set from the SIP event loop, they fire on it. */
final class VertxSipTimers implements SipTimers {
  private final Vertx vertx;

  VertxSipTimers(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public Cancellable schedule(long delayMs, Runnable task) {
    long id = vertx.setTimer(Math.max(1, delayMs), t -> task.run());
    return () -> vertx.cancelTimer(id);
  }
}

package io.greenpledge.ops;

import org.slf4j.Logger;

/**
 * One dependency's run of failures, logged as two lines however long it lasts: a WARN when it
 * starts (with the first cause) and an INFO when it ends (with its length and the failed attempts).
 * Confined to the thread of its owner.
 */
public final class Outage {

  private final Logger log;
  private final String started;
  private final String ended;
  private long since;
  private long failures;

  /**
   * @param started a message with one {@code {}} for the cause
   * @param ended a message with two {@code {}}: seconds, then failed attempts
   */
  public Outage(Logger log, String started, String ended) {
    this.log = log;
    this.started = started;
    this.ended = ended;
  }

  public void failed(Throwable cause) {
    failures++;
    if (since == 0) {
      since = System.nanoTime();
      log.warn(started, cause.getMessage());
    }
  }

  public void succeeded() {
    if (since != 0) {
      log.info(ended, (System.nanoTime() - since) / 1_000_000_000, failures);
      since = 0;
      failures = 0;
    }
  }
}

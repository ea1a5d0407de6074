package io.greenpledge.alerts.event;

import java.time.Instant;

/**
 * An alert for one bank: what happened ({@link AlertEvent}) and where it stands in the bank's
 * stream. Before it is persisted {@code seq} and {@code id} are 0; the database gives each bank a
 * gap-free sequence.
 *
 * @param key idempotency key: the same event always yields the same key, so it is stored once
 */
public record Alert(
    long id,
    String bank,
    long seq,
    String key,
    String pledgeId,
    String instrument,
    AlertEvent event,
    Instant occurredAt) {

  /** What happened, as stored and served. */
  public enum Kind {
    /** A pledge's coverage status changed, either direction. */
    STATUS_CHANGE,
    /**
     * An instrument the bank holds went stale (no trade within its window); marks fall back to
     * reference.
     */
    STALE,
    /** A stale instrument traded again. */
    FRESH,
    /** The same registry certificate is pledged in another live pledge. */
    DOUBLE_PLEDGE,
    /** A margin call opened or changed state. */
    MARGIN_CALL,
    /** A figure of the bank's book went over one of its concentration limits, or back under. */
    CONCENTRATION
  }

  public static Alert pending(
      String bank,
      String key,
      String pledgeId,
      String instrument,
      AlertEvent event,
      Instant occurredAt) {
    return new Alert(0, bank, 0, key, pledgeId, instrument, event, occurredAt);
  }

  public Kind kind() {
    return event.kind();
  }

  public Alert withKey(String newKey) {
    return new Alert(id, bank, seq, newKey, pledgeId, instrument, event, occurredAt);
  }

  public Alert persisted(long newId, long newSeq) {
    return new Alert(newId, bank, newSeq, key, pledgeId, instrument, event, occurredAt);
  }
}

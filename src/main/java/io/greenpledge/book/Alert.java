package io.greenpledge.book;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * An alert for one bank. Before it is persisted {@code seq} and {@code id} are 0; the database gives
 * each bank a gap-free sequence.
 *
 * @param key idempotency key: the same event always yields the same key, so it is stored once
 */
public record Alert(long id, String bank, long seq, Kind kind, String key, String pledgeId, String instrument,
    JsonObject payload, Instant occurredAt) {

  /** What happened. */
  public enum Kind {
    /** A pledge's coverage status changed, either direction. */
    STATUS_CHANGE,
    /** An instrument the bank holds went stale (no trade within its window); marks fall back to reference. */
    STALE,
    /** A stale instrument traded again. */
    FRESH,
    /** The same registry certificate is pledged in another live pledge. */
    DOUBLE_PLEDGE
  }

  public static Alert pending(String bank, Kind kind, String key, String pledgeId, String instrument,
      JsonObject payload, Instant occurredAt) {
    return new Alert(0, bank, 0, kind, key, pledgeId, instrument, payload, occurredAt);
  }

  Alert withKey(String newKey) {
    return new Alert(id, bank, seq, kind, newKey, pledgeId, instrument, payload, occurredAt);
  }

  Alert persisted(long newId, long newSeq) {
    return new Alert(newId, bank, newSeq, kind, key, pledgeId, instrument, payload, occurredAt);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("seq", seq)
        .put("bank", bank)
        .put("kind", kind.name())
        .put("pledgeId", pledgeId)
        .put("instrument", instrument)
        .put("occurredAt", occurredAt.toString())
        .put("data", payload);
  }
}

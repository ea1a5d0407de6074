package io.greenpledge.wire;

import io.greenpledge.market.Tick;
import io.greenpledge.market.TickOutcome;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** Ticks from connectors (REST or WebSocket) and the per-tick answer they get. */
public final class TickJson {

  /** Ticks per batch; the contract says the same. */
  public static final int MAX_BATCH = 10_000;

  /** A batch that cannot be read as ticks at all; the message says which element is wrong. */
  public static final class MalformedBatch extends RuntimeException {
    public MalformedBatch(String message) {
      super(message);
    }
  }

  private TickJson() {}

  /**
   * Connector ticks are namespaced by the token subject so no connector can spoof another's seq.
   */
  public static String sourceOf(String subject) {
    return "ingest:" + subject;
  }

  public static List<Tick> parse(JsonArray array, String source) {
    if (array == null || array.isEmpty()) {
      throw new MalformedBatch("ticks must be a non-empty array");
    }
    if (array.size() > MAX_BATCH) {
      throw new MalformedBatch("at most " + MAX_BATCH + " ticks per batch, got " + array.size());
    }
    List<Tick> ticks = new ArrayList<>(array.size());
    Timestamps timestamps = new Timestamps();
    for (int i = 0; i < array.size(); i++) {
      Object element = array.getValue(i);
      if (!(element instanceof JsonObject tick)) {
        throw new MalformedBatch("ticks[" + i + "] must be an object");
      }
      ticks.add(tick(tick, i, source, timestamps));
    }
    return ticks;
  }

  /** Ticks of one batch often share a timestamp: the last one read is kept. */
  private static final class Timestamps {
    private String lastText;
    private Instant lastInstant;

    Instant read(JsonObject json, int index) {
      Object value = json.getValue("ts");
      if (!(value instanceof String text)) {
        throw new MalformedBatch(where(index) + "ts must be an ISO-8601 date-time string");
      }
      if (!text.equals(lastText)) {
        try {
          lastInstant = IsoInstant.parse(text);
        } catch (DateTimeParseException e) {
          throw new MalformedBatch(
              where(index) + "ts must be an ISO-8601 date-time with an offset, was '" + text + "'");
        }
        lastText = text;
      }
      return lastInstant;
    }
  }

  private static Tick tick(JsonObject json, int index, String source, Timestamps timestamps) {
    Object instrument = json.getValue("instrument");
    if (!(instrument instanceof String id) || id.isEmpty() || id.length() > 32) {
      throw new MalformedBatch(where(index) + "instrument must be a string of 1 to 32 characters");
    }
    return new Tick(
        id,
        number(json, "price", index),
        number(json, "quantity", index),
        timestamps.read(json, index),
        source,
        sequence(json, index));
  }

  /** The start of an error message about one tick (built only when there is an error). */
  private static String where(int index) {
    return "ticks[" + index + "].";
  }

  private static double number(JsonObject json, String field, int index) {
    Object value = json.getValue(field);
    if (!(value instanceof Number n)) {
      throw new MalformedBatch(where(index) + field + " must be a number");
    }
    return n.doubleValue();
  }

  private static long sequence(JsonObject json, int index) {
    Object value = json.getValue("seq");
    if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < 0) {
      throw new MalformedBatch(where(index) + "seq must be a non-negative integer");
    }
    return ((Number) value).longValue();
  }

  public static JsonObject outcomes(List<TickOutcome> outcomes) {
    JsonArray results = new JsonArray();
    int accepted = 0;
    for (int i = 0; i < outcomes.size(); i++) {
      TickOutcome outcome = outcomes.get(i);
      JsonObject result = new JsonObject().put("index", i).put("seq", outcome.tick().seq());
      if (outcome.isAccepted()) {
        accepted++;
        result.put("status", "ACCEPTED");
      } else {
        result
            .put("status", "REJECTED")
            .put("reason", outcome.rejection().get().name())
            .put("detail", outcome.rejection().get().detail());
      }
      results.add(result);
    }
    return new JsonObject()
        .put("accepted", accepted)
        .put("rejected", outcomes.size() - accepted)
        .put("results", results);
  }
}

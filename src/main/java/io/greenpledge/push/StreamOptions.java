package io.greenpledge.push;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a desk asked of a price or valuation channel in its {@code subscribe}: at most {@code
 * maxFrequency} updates per second of the channel's keys (the server's window stays the floor),
 * only some {@code fields} of each item's data (its key field always), and {@code delta} items
 * (after a whole first one, only the fields that changed since the previous window, with the key's
 * version {@code v} and the version {@code base} they apply to).
 *
 * @param minIntervalMillis 0: every window
 * @param fields null: every field; otherwise in the order asked, without duplicates (a channel
 *     sends those of them its items have: a price has no coverage)
 */
record StreamOptions(long minIntervalMillis, List<String> fields, boolean delta) {

  static final StreamOptions DEFAULT = new StreamOptions(0, null, false);

  /** Once every 100 s is the slowest rate a desk may ask for. */
  static final double MIN_FREQUENCY = 0.01;

  static final int MAX_FIELDS = 64;

  /** Every field of a price item's data (as {@code GET /prices/{id}}). */
  static final Set<String> PRICE_FIELDS =
      Set.of(
          "instrument",
          "mark",
          "basis",
          "lastTrade",
          "lastTradeAt",
          "vwap20",
          "previousClose",
          "change",
          "referencePrice",
          "stale",
          "staleDays",
          "sigma",
          "sigmaBasis",
          "adv20",
          "haircutInputs",
          "today",
          "lastTick",
          "asOf");

  /** Every field of a valuation item's data (as {@code GET /pledges/{id}/valuation}). */
  static final Set<String> VALUATION_FIELDS =
      Set.of(
          "pledgeId",
          "bank",
          "instrument",
          "quantity",
          "mark",
          "marketValue",
          "haircut",
          "eligibleValue",
          "outstanding",
          "cashMargin",
          "ltv",
          "coverage",
          "status",
          "topUp",
          "stale",
          "valuedAt",
          "provenance",
          "distanceToNextLine");

  boolean plain() {
    return fields == null && !delta;
  }

  /** The part of a lane's share key these options add: empty for the default. */
  String signature() {
    if (this == DEFAULT || (minIntervalMillis == 0 && plain())) {
      return "";
    }
    return "~" + minIntervalMillis + (delta ? "d" : "") + (fields == null ? "" : fields.toString());
  }

  /** The options of a subscribe frame, or why they are refused. */
  sealed interface Parsed {}

  record Valid(StreamOptions options) implements Parsed {}

  record Invalid(String detail) implements Parsed {}

  /**
   * @param prices whether the frame subscribes a price channel (its fields must be price fields)
   * @param valuations whether it subscribes valuations
   */
  static Parsed parse(JsonObject frame, boolean prices, boolean valuations) {
    Object frequency = frame.getValue("maxFrequency");
    Object fields = frame.getValue("fields");
    Object delta = frame.getValue("delta");
    if (frequency == null && fields == null && delta == null) {
      return new Valid(DEFAULT);
    }
    long interval = 0;
    if (frequency != null) {
      if (!(frequency instanceof Number n)
          || !(n.doubleValue() >= MIN_FREQUENCY)
          || n.doubleValue() > 1000) {
        return new Invalid(
            "maxFrequency is updates per second per key, from " + MIN_FREQUENCY + " to 1000");
      }
      interval = Math.round(1000 / n.doubleValue());
    }
    if (delta != null && !(delta instanceof Boolean)) {
      return new Invalid("delta is true or false");
    }
    List<String> selected = null;
    if (fields != null) {
      if (!(fields instanceof JsonArray array) || array.isEmpty() || array.size() > MAX_FIELDS) {
        return new Invalid("fields is a non-empty array of at most " + MAX_FIELDS + " field names");
      }
      Set<String> names = new LinkedHashSet<>();
      for (Object entry : array) {
        if (!(entry instanceof String name)
            || !((prices && PRICE_FIELDS.contains(name))
                || (valuations && VALUATION_FIELDS.contains(name)))) {
          return new Invalid(
              "no field '"
                  + entry
                  + "' in "
                  + (prices && valuations
                      ? "prices or valuations"
                      : prices ? "prices" : "valuations")
                  + "; the fields are those of GET /prices/{id} and GET /pledges/{id}/valuation");
        }
        names.add(name);
      }
      selected = List.copyOf(names);
    }
    return new Valid(new StreamOptions(interval, selected, Boolean.TRUE.equals(delta)));
  }
}

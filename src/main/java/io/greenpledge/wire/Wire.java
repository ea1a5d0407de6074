package io.greenpledge.wire;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;

/** How numbers and times look on the wire: CNY half-even to 0.01, ratios as decimals. */
public final class Wire {

  private Wire() {}

  /** CNY (or CNY per unit) rounded half-even to 0.01; null for NaN. */
  public static BigDecimal money(double value) {
    return Double.isNaN(value) || Double.isInfinite(value)
        ? null
        : BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_EVEN);
  }

  /** A ratio or statistic with six decimals; null for NaN. */
  public static BigDecimal ratio(double value) {
    return Double.isNaN(value) || Double.isInfinite(value)
        ? null
        : BigDecimal.valueOf(value).setScale(6, RoundingMode.HALF_EVEN);
  }

  /**
   * A decimal held in a double with at most {@code places} places, without trailing zeros; null for
   * NaN.
   */
  public static BigDecimal decimal(double value, int places) {
    return Double.isNaN(value) || Double.isInfinite(value)
        ? null
        : plain(BigDecimal.valueOf(value).setScale(places, RoundingMode.HALF_EVEN));
  }

  /** A quantity with four decimals, as journaled. */
  public static BigDecimal quantity(double value) {
    return plain(BigDecimal.valueOf(value).setScale(4, RoundingMode.HALF_EVEN));
  }

  /** Without trailing zeros and never in exponent notation (1E+1 is valid JSON but reads badly). */
  public static BigDecimal plain(BigDecimal value) {
    return new BigDecimal(value.stripTrailingZeros().toPlainString());
  }

  /** A page of a list: its items and the cursor to ask for the next page with. */
  public static JsonObject page(List<JsonObject> items, Object next) {
    return list(items).put("next", next);
  }

  /** A whole list. */
  public static JsonObject list(List<JsonObject> items) {
    return new JsonObject().put("items", new JsonArray(new java.util.ArrayList<>(items)));
  }

  /** An RFC 9457 problem. */
  public static JsonObject problem(
      String type, String title, int status, String detail, String instance) {
    return new JsonObject()
        .put("type", type)
        .put("title", title)
        .put("status", status)
        .put("detail", detail)
        .put("instance", instance);
  }

  /**
   * {@code {"status":"UP"|"DOWN","checks":{name:{"status":…,"detail":…}}}} of the health endpoints.
   */
  public static JsonObject health(
      boolean up, java.util.Map<String, java.util.Optional<String>> checks) {
    JsonObject details = new JsonObject();
    checks.forEach(
        (name, failure) ->
            details.put(
                name,
                failure.isEmpty()
                    ? new JsonObject().put("status", "UP")
                    : new JsonObject().put("status", "DOWN").put("detail", failure.get())));
    return new JsonObject().put("status", up ? "UP" : "DOWN").put("checks", details);
  }

  public static String time(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}

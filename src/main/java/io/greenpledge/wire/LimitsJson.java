package io.greenpledge.wire;

import io.greenpledge.limits.Limits;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A bank's limits on the wire: {@code {eligibility: {instruments, minRemainingDays, maxAdvMultiple,
 * haircutFloors}, concentration: {maxInstrumentShare, maxBorrowerShare, maxGroupShare,
 * maxLiquidationDays, addOn}}}; null or absent means no limit.
 */
public final class LimitsJson {

  private LimitsJson() {}

  public static JsonObject json(Limits l) {
    JsonObject floors = new JsonObject();
    l.haircutFloors().forEach(floors::put);
    return new JsonObject()
        .put(
            "eligibility",
            new JsonObject()
                .put(
                    "instruments",
                    l.eligibleInstruments().isEmpty()
                        ? null
                        : new JsonArray(List.copyOf(new TreeSet<>(l.eligibleInstruments()))))
                .put("minRemainingDays", l.minRemainingDays().orElse(null))
                .put("maxAdvMultiple", l.maxAdvMultiple().orElse(null))
                .put("haircutFloors", floors))
        .put(
            "concentration",
            new JsonObject()
                .put("maxInstrumentShare", l.maxInstrumentShare().orElse(null))
                .put("maxBorrowerShare", l.maxBorrowerShare().orElse(null))
                .put("maxGroupShare", l.maxGroupShare().orElse(null))
                .put("maxLiquidationDays", l.maxLiquidationDays().orElse(null))
                .put("addOn", l.concentrationAddOn()));
  }

  /**
   * Limits from their JSON; an {@link IllegalArgumentException} naming the field when one is wrong.
   *
   * @param known the instrument ids of the catalog
   */
  public static Limits parse(JsonObject json, Set<String> known) {
    JsonObject e = object(json, "eligibility");
    JsonObject c = object(json, "concentration");
    Set<String> instruments = new TreeSet<>();
    Object listed = e.getValue("instruments");
    if (listed != null) {
      if (!(listed instanceof JsonArray array) || array.isEmpty()) {
        throw new IllegalArgumentException(
            "eligibility.instruments is a non-empty list of instruments, or null for all");
      }
      for (Object id : array) {
        if (!(id instanceof String s) || !known.contains(s)) {
          throw new IllegalArgumentException(
              "eligibility.instruments: '" + id + "' is not in the catalog");
        }
        instruments.add(s);
      }
    }
    Map<String, BigDecimal> floors = new HashMap<>();
    JsonObject givenFloors = object(e, "haircutFloors");
    for (String id : givenFloors.fieldNames()) {
      if (!known.contains(id)) {
        throw new IllegalArgumentException(
            "eligibility.haircutFloors: '" + id + "' is not in the catalog");
      }
      floors.put(id, decimal(givenFloors, id, "eligibility.haircutFloors." + id).orElseThrow());
    }
    Optional<Integer> minDays =
        decimal(e, "minRemainingDays", "eligibility.minRemainingDays")
            .map(
                d -> {
                  if (d.stripTrailingZeros().scale() > 0) {
                    throw new IllegalArgumentException(
                        "eligibility.minRemainingDays is a whole number of days");
                  }
                  return d.intValueExact();
                });
    return new Limits(
        instruments,
        minDays,
        decimal(e, "maxAdvMultiple", "eligibility.maxAdvMultiple"),
        floors,
        decimal(c, "maxInstrumentShare", "concentration.maxInstrumentShare"),
        decimal(c, "maxBorrowerShare", "concentration.maxBorrowerShare"),
        decimal(c, "maxGroupShare", "concentration.maxGroupShare"),
        decimal(c, "maxLiquidationDays", "concentration.maxLiquidationDays"),
        decimal(c, "addOn", "concentration.addOn").orElse(BigDecimal.ZERO));
  }

  /** Concentration figures over their limits, with the pledges behind each. */
  public static JsonArray breaches(List<io.greenpledge.limits.Concentration.Breach> breaches) {
    JsonArray items = new JsonArray();
    breaches.forEach(
        b ->
            items.add(
                new JsonObject()
                    .put("limit", b.limit())
                    .put("key", b.key())
                    .put("figure", b.figure())
                    .put("max", b.max())
                    .put("pledgeIds", new JsonArray(b.pledgeIds()))));
    return items;
  }

  private static JsonObject object(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value == null) {
      return new JsonObject();
    }
    if (!(value instanceof JsonObject object)) {
      throw new IllegalArgumentException(field + " is an object");
    }
    return object;
  }

  private static Optional<BigDecimal> decimal(JsonObject json, String field, String name) {
    Object value = json.getValue(field);
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof Number)) {
      throw new IllegalArgumentException(name + " is a number");
    }
    return Optional.of(new BigDecimal(value.toString()));
  }
}

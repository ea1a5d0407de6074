package io.greenpledge.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a desk client written from the AsyncAPI contract holds: the latest data of every price and
 * valuation key, rebuilt from whole items and from {@code delta} items (applied only on the version
 * {@code base} they name; any other is a gap, which fails the test: over one socket there is none).
 */
public final class DeskState {

  private final Map<String, JsonObject> state = new HashMap<>();
  private final Map<String, Long> versions = new HashMap<>();
  private int deltas;

  /** Applies the price and valuation items of a snapshot or update frame; ignores the rest. */
  public void applyFrame(JsonObject frame) {
    String type = frame.getString("type");
    if ("snapshot".equals(type) || "update".equals(type)) {
      frame.getJsonArray("items").forEach(item -> apply((JsonObject) item));
    }
  }

  public void apply(JsonObject item) {
    String type = item.getString("type");
    if (!"price".equals(type) && !"valuation".equals(type)) {
      return;
    }
    JsonObject data = item.getJsonObject("data");
    String key = type + ":" + data.getString(keyField(type));
    if (item.containsKey("base")) {
      assertNotNull(state.get(key), "a delta for a key never received whole: " + item);
      assertEquals(versions.get(key), item.getLong("base"), "a delta on another version: " + item);
      state.get(key).mergeIn(data);
      deltas++;
    } else {
      state.put(key, data.copy());
    }
    if (item.containsKey("v")) {
      versions.put(key, item.getLong("v"));
    }
  }

  /** The data of every key, by {@code price:<instrument>} and {@code valuation:<pledgeId>}. */
  public Map<String, JsonObject> state() {
    return state;
  }

  /** How many delta items were applied. */
  public int deltas() {
    return deltas;
  }

  /**
   * The state as a desk that asked for only {@code fields} would hold it (each key with those of
   * them its data has).
   */
  public Map<String, JsonObject> project(List<String> fields) {
    Map<String, JsonObject> projected = new HashMap<>();
    state.forEach(
        (key, data) -> {
          String keyField = keyField(key.substring(0, key.indexOf(':')));
          JsonObject kept = new JsonObject().put(keyField, data.getValue(keyField));
          fields.forEach(
              field -> {
                if (data.containsKey(field)) {
                  kept.put(field, data.getValue(field));
                }
              });
          projected.put(key, kept);
        });
    return projected;
  }

  private static String keyField(String type) {
    return "price".equals(type) ? "instrument" : "pledgeId";
  }
}

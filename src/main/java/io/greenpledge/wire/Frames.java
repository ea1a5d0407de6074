package io.greenpledge.wire;

import io.greenpledge.market.TickOutcome;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * Every WebSocket frame the gateway sends, in one place. Frames that carry items are assembled from
 * already-encoded item JSON (each encoded once and shared by every socket), so those are built as
 * text; the rest are small objects.
 */
public final class Frames {

  private Frames() {}

  /** After a valid {@code auth} frame (first or refresh). */
  public static JsonObject authenticated(String subject, String bank, Instant expiresAt) {
    return new JsonObject()
        .put("type", "authenticated")
        .put("subject", subject)
        .put("bank", bank)
        .put("expiresAt", expiresAt.toString());
  }

  public static JsonObject pong() {
    return new JsonObject().put("type", "pong");
  }

  public static JsonObject heartbeat() {
    return new JsonObject().put("type", "heartbeat");
  }

  /**
   * The gateway is stopping (shutdown, rollout): reconnect after about {@code afterMillis} (then
   * back off with jitter) and resume; a 1001 close follows.
   */
  public static JsonObject reconnect(long afterMillis, String detail) {
    return new JsonObject()
        .put("type", "reconnect")
        .put("afterMillis", afterMillis)
        .put("detail", detail);
  }

  /** A refused op: the socket stays open unless a close frame follows. */
  public static JsonObject error(String code, String detail) {
    return new JsonObject().put("type", "error").put("code", code).put("detail", detail);
  }

  /** A refused ingest batch, answered with the batch's {@code id}. */
  public static JsonObject error(Object id, String code, String detail) {
    return new JsonObject()
        .put("type", "error")
        .put("code", code)
        .put("id", id)
        .put("detail", detail);
  }

  public static JsonObject unsubscribed(List<String> channels) {
    return new JsonObject().put("type", "unsubscribed").put("channels", new JsonArray(channels));
  }

  /** The journal stored the batch's accepted ticks: one outcome per tick, in order. */
  public static JsonObject ack(Object id, List<TickOutcome> outcomes) {
    return TickJson.outcomes(outcomes).put("type", "ack").put("id", id);
  }

  /**
   * The state of a channel when it is subscribed.
   *
   * @param lastSeq the alerts channel's cursor after these items; null for other channels
   */
  public static String snapshot(
      String channel, long seq, long ts, Long lastSeq, List<String> items) {
    StringBuilder frame =
        new StringBuilder(64 + items.size() * 256)
            .append("{\"type\":\"snapshot\",\"channel\":\"")
            .append(channel)
            .append("\",\"seq\":")
            .append(seq)
            .append(",\"ts\":")
            .append(ts);
    if (lastSeq != null) {
      frame.append(",\"lastSeq\":").append(lastSeq);
    }
    return frame.append(",\"items\":[").append(String.join(",", items)).append("]}").toString();
  }

  /** An update frame up to its items: the items (shared bytes) and {@link #UPDATE_TAIL} follow. */
  public static String updateHead(long seq, long ts) {
    return "{\"type\":\"update\",\"seq\":" + seq + ",\"ts\":" + ts + ",\"items\":[";
  }

  public static final String UPDATE_TAIL = "]}";

  /**
   * An item for a desk that takes deltas: the key's version {@code v} and, for a delta, the version
   * {@code base} its fields apply to (a client holding another version has missed a change and
   * subscribes again for a snapshot).
   *
   * @param base null: {@code data} is whole
   */
  public static String item(String channel, String type, long ts, long v, Long base, String data) {
    return "{\"channel\":\""
        + channel
        + "\",\"type\":\""
        + type
        + "\",\"ts\":"
        + ts
        + ",\"v\":"
        + v
        + (base == null ? "" : ",\"base\":" + base)
        + ",\"data\":"
        + data
        + "}";
  }

  /** One item of a snapshot or update: a key's latest state. */
  public static String item(String channel, String type, long ts, String data) {
    return "{\"channel\":\""
        + channel
        + "\",\"type\":\""
        + type
        + "\",\"ts\":"
        + ts
        + ",\"data\":"
        + data
        + "}";
  }
}

package io.greenpledge.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A market-data connector as a vendor would write one: it sends numbered batches over REST or
 * {@code /ws/ingest}, one at a time, keeps what was acknowledged, and after any failure resends the
 * unacknowledged batch (a resend is idempotent by {@code (source, seq)}). An acknowledgement counts
 * only when every tick is ACCEPTED or REJECTED as DUPLICATE, both of which mean "stored".
 */
public final class Connector {

  public enum Transport {
    REST,
    WEBSOCKET
  }

  private final Transport transport;
  private final String source;
  private final String token;
  private final Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
  private volatile List<Long> unacknowledged = List.of();
  private volatile long nextSeq = 1;
  private volatile int port;
  private volatile Http http;
  private WsClient socket;

  /**
   * A connector whose token names {@code subject}: the gateway calls its source {@code
   * ingest:<subject>}.
   */
  public Connector(Transport transport, Tokens tokens, String subject, int port) {
    this.transport = transport;
    this.source = "ingest:" + subject;
    this.token = tokens.token(subject, null, "feed");
    this.http = new Http(port);
    this.port = port;
  }

  /** Points the connector at a (restarted) gateway. */
  public void reconnect(int port) {
    this.port = port;
    this.http = new Http(port);
    closeSocket();
  }

  public String source() {
    return source;
  }

  public Set<Long> acknowledged() {
    return acknowledged;
  }

  /** Every seq sent so far, acknowledged or not. */
  public long lastSent() {
    return nextSeq - 1;
  }

  /**
   * Sends the pending batch if one failed, else a new one of {@code size} ticks. Returns whether it
   * was acknowledged; throws nothing, a dead gateway is a false.
   */
  public boolean sendNext(int size) {
    if (unacknowledged.isEmpty()) {
      List<Long> seqs = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        seqs.add(nextSeq++);
      }
      unacknowledged = seqs;
    }
    List<Long> batch = unacknowledged;
    try {
      if (send(batch)) {
        acknowledged.addAll(batch);
        unacknowledged = List.of();
        return true;
      }
    } catch (RuntimeException | InterruptedException e) {
      closeSocket();
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
    }
    return false;
  }

  /**
   * Resends until the pending batch is acknowledged (bounded); true when nothing is left
   * unacknowledged.
   */
  public boolean resendPending(int attempts) {
    for (int i = 0; i < attempts && !unacknowledged.isEmpty(); i++) {
      sendNext(0);
    }
    return unacknowledged.isEmpty();
  }

  private boolean send(List<Long> seqs) throws InterruptedException {
    JsonArray ticks = new JsonArray();
    for (long seq : seqs) {
      ticks.add(
          new JsonObject()
              .put("instrument", "CEA")
              .put("price", 71.00 + (seq % 20) * 0.01)
              .put("quantity", 10)
              .put("ts", Instant.now().toString())
              .put("seq", seq));
    }
    JsonArray results;
    if (transport == Transport.REST) {
      Http.Response response =
          http.post("/api/v1/ticks", token, new JsonObject().put("ticks", ticks).encode());
      if (response.status() != 200) {
        return false;
      }
      results = response.json().getJsonArray("results");
    } else {
      WsClient ws = socket();
      String id = "b" + seqs.get(0);
      ws.send(new JsonObject().put("op", "ticks").put("id", id).put("ticks", ticks));
      JsonObject answer = ws.nextUnlessClosed(15);
      if (answer == null
          || !"ack".equals(answer.getString("type"))
          || !id.equals(answer.getString("id"))) {
        closeSocket();
        return false;
      }
      results = answer.getJsonArray("results");
    }
    for (Object o : results) {
      JsonObject result = (JsonObject) o;
      boolean stored =
          "ACCEPTED".equals(result.getString("status"))
              || "DUPLICATE".equals(result.getString("reason"));
      if (!stored) {
        throw new AssertionError("a tick was neither stored nor a duplicate: " + result.encode());
      }
    }
    return true;
  }

  private WsClient socket() throws InterruptedException {
    if (socket == null) {
      socket = new WsClient(port, "/ws/ingest");
      socket.send(new JsonObject().put("op", "auth").put("token", token));
      JsonObject answer = socket.nextUnlessClosed(10);
      if (answer == null || !"authenticated".equals(answer.getString("type"))) {
        throw new IllegalStateException("not authenticated: " + answer);
      }
    }
    return socket;
  }

  private void closeSocket() {
    if (socket != null) {
      try {
        socket.close();
      } catch (RuntimeException ignored) {
        // the gateway is gone already
      }
      socket = null;
    }
  }
}

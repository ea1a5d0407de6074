package io.greenpledge.push;

import io.greenpledge.alerts.event.Alert;
import io.vertx.core.json.JsonArray;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A desk that records what the hub sends it and can be made unwritable. */
class RecordingDesk implements Desk {
  Subscription subscription;
  final List<byte[]> updates = new ArrayList<>();
  long bytes;

  /** Snapshot items the test took for the desk, as a desk session would have sent them. */
  final List<io.vertx.core.json.JsonObject> snapshots = new ArrayList<>();

  boolean blocked;
  long blockedMillis;
  int queuedAlerts;
  Desk.Close closed;

  RecordingDesk(Subscription subscription) {
    this.subscription = subscription;
  }

  JsonArray lastItems() {
    return new JsonArray(
        "[" + new String(updates.get(updates.size() - 1), StandardCharsets.UTF_8) + "]");
  }

  @Override
  public Subscription subscription() {
    return subscription;
  }

  @Override
  public String metricsLabel() {
    return subscription.bank();
  }

  @Override
  public boolean blocked() {
    return blocked;
  }

  @Override
  public long blockedForMillis(long now) {
    return blockedMillis;
  }

  @Override
  public int queuedAlerts() {
    return queuedAlerts;
  }

  @Override
  public long lastHeardFrom() {
    return System.currentTimeMillis();
  }

  @Override
  public void sendUpdate(List<byte[]> parts, long ts) {
    if (!parts.isEmpty()) {
      List<String> text = new ArrayList<>();
      parts.forEach(part -> text.add(new String(part, StandardCharsets.UTF_8)));
      updates.add(String.join(",", text).getBytes(StandardCharsets.UTF_8));
      if (parts.size() == 1) {
        updates.set(updates.size() - 1, parts.get(0));
      }
      bytes += updates.get(updates.size() - 1).length;
    }
  }

  @Override
  public void offerAlert(Alert alert, String encoded) {}

  @Override
  public void offerCase(String channel, String bank, String encoded) {}

  @Override
  public void sendHeartbeat() {}

  @Override
  public void close(Desk.Close why) {
    closed = why;
  }
}

package io.greenpledge.push;

import io.greenpledge.alerts.event.Alert;

/**
 * A desk socket as its {@link PushHub} sees it: the whole seam from the hub to a session. The hub
 * owns the window state (which window each lane of each desk last received); the desk owns its
 * socket, its subscription and its alert queue. Every method is called on the event loop that the
 * hub and the desk share, so nothing here is synchronised.
 */
interface Desk {

  /** Why the hub closes a desk. */
  enum Close {
    /**
     * 1008: unwritable longer than {@code GP_WS_SLOW_CLOSE}, or more alerts queued than allowed.
     */
    SLOW,
    /** 4408: the client sent nothing (not even a ping) for {@code GP_WS_IDLE_TIMEOUT}. */
    IDLE,
    /** 1001: the gateway is stopping; the desk should reconnect (to another replica) and resume. */
    GOING_AWAY
  }

  /** The current subscription; replaced (never mutated) by the desk between windows. */
  Subscription subscription();

  /** The bank label of the desk's metrics ({@code *} for a regulator). */
  String metricsLabel();

  /**
   * True while the socket's write queue is full. The hub then skips the desk: its keys stay
   * conflated in the hub and it catches up from their versions once it drains.
   */
  boolean blocked();

  /** How long the socket has been unwritable, 0 when it is not. */
  long blockedForMillis(long now);

  /** Alerts queued and not yet written: never dropped, so bounded by closing the desk. */
  int queuedAlerts();

  /** When the client last sent a frame (epoch ms). */
  long lastHeardFrom();

  /**
   * Writes one {@code update} frame, sent at {@code ts}, holding the items of each lane in {@code
   * parts} (each non-empty, comma-separated item JSON, UTF-8, shared by every desk of the same
   * lane: not to be modified) followed by the desk's queued alerts. Writes nothing when both are
   * empty.
   */
  void sendUpdate(java.util.List<byte[]> parts, long ts);

  /** A persisted alert with its shared encoding; the desk queues it if its stream takes it. */
  void offerAlert(Alert alert, String encoded);

  /**
   * A margin call or change request of {@code bank} that changed, encoded as an item of {@code
   * channel}; the desk queues it (like an alert) if it subscribed to the channel and sees the bank.
   */
  void offerCase(String channel, String bank, String encoded);

  void sendHeartbeat();

  /**
   * Where the desk stands after a window, for presence: how long it has been unwritable, how many
   * windows it has not received, and when it was last sent an update (0: not in this window).
   */
  default void lag(long unwritableMillis, long windowsBehind, long sentAt) {}

  /** Closes the socket with the code of {@code why}; the hub has already forgotten the desk. */
  void close(Close why);
}

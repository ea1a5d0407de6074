package io.greenpledge.api;

import io.greenpledge.ops.LogLimiter;
import io.greenpledge.ops.Metrics;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one client address may hold open, shared by every HTTP verticle: connections, and WebSockets
 * that have not authenticated yet. A refusal is counted ({@code gp_connections_refused_total} by
 * reason) and logged at most once a minute per reason. Thread-safe: counts are shared by the event
 * loops.
 */
public final class ConnectionLimits {

  private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimits.class);

  private final int connectionsPerAddress;
  private final int unauthenticatedPerAddress;
  private final Metrics metrics;
  private final Map<String, AtomicInteger> connections = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> unauthenticated = new ConcurrentHashMap<>();
  private final LogLimiter connectionLog = new LogLimiter(Duration.ofMinutes(1));
  private final LogLimiter socketLog = new LogLimiter(Duration.ofMinutes(1));

  public ConnectionLimits(
      int connectionsPerAddress, int unauthenticatedPerAddress, Metrics metrics) {
    this.connectionsPerAddress = connectionsPerAddress;
    this.unauthenticatedPerAddress = unauthenticatedPerAddress;
    this.metrics = metrics;
  }

  static String addressOf(SocketAddress remote) {
    return remote == null ? "-" : remote.hostAddress();
  }

  /**
   * Counts a new connection and closes it when its address holds too many already; the caller calls
   * {@link #connectionClosed} from the connection's (single) close handler.
   */
  void onConnection(HttpConnection connection, String address) {
    AtomicInteger open = connections.computeIfAbsent(address, a -> new AtomicInteger());
    int now = open.incrementAndGet();
    if (now > connectionsPerAddress) {
      metrics.connectionRefused("connections-per-address");
      connectionLog.warn(
          LOG,
          "refused a connection from {}: it holds {} (GP_CONNECTIONS_PER_ADDRESS {})",
          address,
          now - 1,
          connectionsPerAddress);
      connection.close();
    }
  }

  void connectionClosed(String address) {
    release(connections, address);
  }

  /**
   * A WebSocket about to wait for its auth frame; false (and counted) when its address has too many
   * waiting.
   */
  boolean admitUnauthenticated(String address) {
    AtomicInteger waiting = unauthenticated.computeIfAbsent(address, a -> new AtomicInteger());
    if (waiting.incrementAndGet() > unauthenticatedPerAddress) {
      release(unauthenticated, address);
      metrics.connectionRefused("unauthenticated-sockets-per-address");
      socketLog.warn(
          LOG,
          "refused a WebSocket from {}: {} of its sockets have not authenticated "
              + "(GP_UNAUTHENTICATED_SOCKETS_PER_ADDRESS)",
          address,
          unauthenticatedPerAddress);
      return false;
    }
    return true;
  }

  /** The socket authenticated or closed: it no longer counts as waiting. Call once. */
  void authenticatedOrClosed(String address) {
    release(unauthenticated, address);
  }

  private static void release(Map<String, AtomicInteger> counts, String address) {
    counts.computeIfPresent(address, (a, count) -> count.decrementAndGet() <= 0 ? null : count);
  }
}

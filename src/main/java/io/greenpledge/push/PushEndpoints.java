package io.greenpledge.push;

import io.greenpledge.alerts.AlertStore;
import io.greenpledge.auth.Authentication;
import io.greenpledge.config.Settings;
import io.greenpledge.engine.market.QuoteBoard;
import io.greenpledge.engine.risk.ValuationBoard;
import io.greenpledge.feed.Ingest;
import io.greenpledge.market.Instruments;
import io.greenpledge.ops.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;

/**
 * The push component as the HTTP server mounts it: one {@link PushHub} and the two WebSocket
 * endpoints ({@code /ws} for desks, {@code /ws/ingest} for connectors). The gateway builds the
 * {@link Factory} from its settings; each HTTP verticle creates its own endpoints on its event loop
 * in {@code start}, because a hub's state is confined to the thread of the sockets it serves (no
 * locks on the push path).
 */
public final class PushEndpoints {

  /** What push reads and calls; {@code ingest} is the one ingest service REST uses too. */
  public record Factory(
      Instruments catalog,
      QuoteBoard quotes,
      ValuationBoard valuations,
      AlertStore alerts,
      Settings.Push settings,
      Authentication authentication,
      Ingest ingest,
      Metrics metrics,
      io.greenpledge.book.MarginCallRepository calls,
      io.greenpledge.book.ChangeRequestRepository requests,
      DeskRegistry desks) {

    /** Endpoints for the calling verticle's event loop. */
    public PushEndpoints create(Vertx vertx) {
      return new PushEndpoints(vertx, this);
    }
  }

  private final Vertx vertx;
  private final Factory deps;
  private final PushHub hub;

  private PushEndpoints(Vertx vertx, Factory deps) {
    this.vertx = vertx;
    this.deps = deps;
    this.hub =
        new PushHub(
            vertx,
            deps.catalog(),
            deps.quotes(),
            deps.valuations(),
            deps.alerts(),
            deps.settings(),
            deps.metrics(),
            new Workflow(deps.calls(), deps.requests()),
            deps.desks());
  }

  public Future<Void> start() {
    return hub.start();
  }

  /** Closes every desk with 1001 (going away) and stops listening to the market. */
  public Future<Void> stop() {
    return hub.stop();
  }

  /** A desk's socket on {@code /ws}; the caller starts it. */
  public SocketSession desk(ServerWebSocket socket) {
    return new DeskSession(vertx, socket, deps.authentication(), hub);
  }

  /** A connector's socket on {@code /ws/ingest}; the caller starts it. */
  public SocketSession ingest(ServerWebSocket socket) {
    return new IngestSocket(vertx, socket, deps.authentication(), deps.ingest());
  }

  /** Desks connected through these endpoints. */
  public int desks() {
    return hub.sessions();
  }

  public long slowConsumersClosed() {
    return hub.slowConsumersClosed();
  }
}

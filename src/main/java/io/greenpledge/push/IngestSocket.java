package io.greenpledge.push;

import io.greenpledge.auth.Authentication;
import io.greenpledge.auth.Caller;
import io.greenpledge.auth.Role;
import io.greenpledge.feed.Ingest;
import io.greenpledge.feed.Ingest.Result;
import io.greenpledge.wire.Frames;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;

/**
 * {@code /ws/ingest}: a connector streams {@code {"op":"ticks","id":…,"ticks":[…]}} and gets {@code
 * {"type":"ack","id":…,"accepted":n,"rejected":m,"results":[…]}} once the accepted ticks are
 * journaled. Requires the {@code feed} role.
 */
public final class IngestSocket extends SocketSession {

  /** A connector may stream small batches; it is the tick rate limiter that bounds the work. */
  static final int FRAMES_PER_SECOND = 1000;

  /** Batches of one socket waiting for the journal: bounds what one connector holds in memory. */
  static final int MAX_IN_FLIGHT = 64;

  private final Ingest ingest;
  private int inFlight;

  public IngestSocket(
      Vertx vertx, ServerWebSocket socket, Authentication authentication, Ingest ingest) {
    super(vertx, socket, authentication, caller -> caller.has(Role.FEED), FRAMES_PER_SECOND);
    this.ingest = ingest;
  }

  @Override
  protected void onAuthenticated(Caller caller) {
    // Nothing to subscribe to: a connector only sends.
  }

  @Override
  protected void onOperation(String op, JsonObject frame) {
    if (!"ticks".equals(op)) {
      sendError("unknown-op", "this endpoint takes ops auth, ticks and ping");
      return;
    }
    Object id = frame.getValue("id");
    if (inFlight >= MAX_IN_FLIGHT) {
      sendError(
          id,
          "too-many-in-flight",
          "at most "
              + MAX_IN_FLIGHT
              + " batches may wait for their ack; resend this one after an ack");
      return;
    }
    inFlight++;
    ingest
        .ingest(caller().subject(), frame.getValue("ticks"))
        .onComplete(done -> inFlight--)
        .onSuccess(result -> answer(id, result));
  }

  private void answer(Object id, Result result) {
    if (result instanceof Result.Acked acked) {
      send(Frames.ack(id, acked.outcomes()));
    } else if (result instanceof Result.Malformed malformed) {
      sendError(id, "invalid-batch", malformed.detail());
    } else if (result instanceof Result.RateLimited limited) {
      send(
          Frames.error(
                  id,
                  "rate-limited",
                  "over this connector's tick rate; resend the batch in "
                      + limited.retryAfterSeconds()
                      + " s")
              .put("retryAfter", limited.retryAfterSeconds()));
    } else {
      sendError(id, "journal-unavailable", Ingest.NOT_STORED);
    }
  }

  private void sendError(Object id, String code, String detail) {
    send(Frames.error(id, code, detail));
  }
}

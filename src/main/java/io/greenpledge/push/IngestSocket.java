package io.greenpledge.push;

import io.greenpledge.feed.Ingest;
import io.greenpledge.feed.TickJson;
import io.greenpledge.auth.Authentication;
import io.greenpledge.auth.Caller;
import io.greenpledge.auth.Role;
import io.greenpledge.market.Tick;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * {@code /ws/ingest}: a connector streams {@code {"op":"ticks","id":…,"ticks":[…]}} and gets
 * {@code {"type":"ack","id":…,"accepted":n,"rejected":m,"results":[…]}} once the accepted ticks are
 * journaled. Requires the {@code feed} role.
 */
public final class IngestSocket extends SocketSession {

  /** A connector may stream small batches; it is the tick rate limiter that bounds the work. */
  static final int FRAMES_PER_SECOND = 1000;
  /** Batches of one socket waiting for the journal: bounds what one connector holds in memory. */
  static final int MAX_IN_FLIGHT = 64;

  private final Ingest ingest;
  private int inFlight;
  private final io.greenpledge.ops.RateLimiter limiter;

  public IngestSocket(Vertx vertx, ServerWebSocket socket, Authentication authentication, Ingest ingest,
      io.greenpledge.ops.RateLimiter limiter) {
    super(vertx, socket, authentication, caller -> caller.has(Role.FEED), FRAMES_PER_SECOND);
    this.ingest = ingest;
    this.limiter = limiter;
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
    List<Tick> ticks;
    try {
      Object array = frame.getValue("ticks");
      ticks = TickJson.parse(array instanceof JsonArray a ? a : null, TickJson.sourceOf(caller().subject()));
    } catch (TickJson.MalformedBatch e) {
      send(new JsonObject().put("type", "error").put("code", "invalid-batch").put("id", id).put("detail", e.getMessage()));
      return;
    }
    long wait = limiter.take(caller().subject(), ticks.size());
    if (wait > 0) {
      send(new JsonObject().put("type", "error").put("code", "rate-limited").put("id", id).put("retryAfter", wait)
          .put("detail", "over this connector's tick rate; resend the batch in " + wait + " s"));
      return;
    }
    if (inFlight >= MAX_IN_FLIGHT) {
      send(new JsonObject().put("type", "error").put("code", "too-many-in-flight").put("id", id)
          .put("detail", "at most " + MAX_IN_FLIGHT + " batches may wait for their ack; resend this one after an ack"));
      return;
    }
    inFlight++;
    ingest.submit(ticks)
        .onComplete(done -> inFlight--)
        .onSuccess(outcomes -> send(TickJson.outcomes(outcomes).put("type", "ack").put("id", id)))
        .onFailure(e -> send(new JsonObject().put("type", "error").put("code", "journal-unavailable").put("id", id)
            .put("detail", "none of this batch was stored or shown; resend it, (source, seq) makes it idempotent")));
  }
}

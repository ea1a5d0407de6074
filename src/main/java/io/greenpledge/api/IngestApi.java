package io.greenpledge.api;

import io.greenpledge.ops.RateLimiter;
import io.greenpledge.feed.Ingest;
import io.greenpledge.feed.TickJson;
import io.greenpledge.market.Tick;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/** {@code POST /api/v1/ticks}: batch ingest by market-data connectors. */
final class IngestApi {

  private final Ingest ingest;
  private final RateLimiter ticks;

  IngestApi(Ingest ingest, RateLimiter ticks) {
    this.ingest = ingest;
    this.ticks = ticks;
  }

  void ingestTicks(RoutingContext ctx) {
    List<Tick> ticks;
    try {
      JsonObject body = ctx.body().asJsonObject();
      ticks = TickJson.parse(body.getJsonArray("ticks"), TickJson.sourceOf(Requests.caller(ctx).subject()));
    } catch (TickJson.MalformedBatch | ClassCastException e) {
      Problems.badRequest(ctx, e.getMessage());
      return;
    }
    long wait = this.ticks.take(Requests.caller(ctx).subject(), ticks.size());
    if (wait > 0) {
      Problems.tooManyRequests(ctx, wait, ticks.size() + " ticks");
      return;
    }
    ingest.submit(ticks)
        .onSuccess(outcomes -> Requests.sendJson(ctx, TickJson.outcomes(outcomes)))
        .onFailure(e -> {
          ctx.response().putHeader("Retry-After", "1");
          Problems.send(ctx, 503, "journal-unavailable", "Ticks not journaled",
              "none of this batch was stored or shown; resend it, (source, seq) makes it idempotent");
        });
  }
}

package io.greenpledge.api;

import io.greenpledge.feed.Ingest;
import io.greenpledge.feed.Ingest.Result;
import io.greenpledge.wire.TickJson;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /api/v1/ticks}: batch ingest by market-data connectors, through the one {@link
 * Ingest}.
 */
final class IngestApi {

  private final Ingest ingest;

  IngestApi(Ingest ingest) {
    this.ingest = ingest;
  }

  void ingestTicks(RoutingContext ctx) {
    Object ticks;
    try {
      ticks = ctx.body().asJsonObject().getValue("ticks");
    } catch (RuntimeException notAnObject) {
      Problems.badRequest(ctx, "the body is {\"ticks\": [ … ]}");
      return;
    }
    ingest.ingest(Requests.caller(ctx).subject(), ticks).onSuccess(result -> answer(ctx, result));
  }

  private static void answer(RoutingContext ctx, Result result) {
    if (result instanceof Result.Acked acked) {
      Requests.sendJson(ctx, TickJson.outcomes(acked.outcomes()));
    } else if (result instanceof Result.Malformed malformed) {
      Problems.badRequest(ctx, malformed.detail());
    } else if (result instanceof Result.RateLimited limited) {
      Problems.tooManyRequests(ctx, limited.retryAfterSeconds(), limited.ticks() + " ticks");
    } else {
      ctx.response().putHeader("Retry-After", "1");
      Problems.send(ctx, 503, "journal-unavailable", "Ticks not journaled", Ingest.NOT_STORED);
    }
  }
}

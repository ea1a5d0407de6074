package io.greenpledge.api;

import io.greenpledge.engine.market.QuoteBoard;
import io.greenpledge.market.Instrument;
import io.greenpledge.market.Instruments;
import io.greenpledge.market.TradingHours;
import io.greenpledge.store.MarketRepository;
import io.greenpledge.wire.MarketJson;
import io.greenpledge.wire.Wire;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Catalog, latest prices and candles. */
final class MarketApi {

  /** More buckets than a chart can show is a mistake, not a query. */
  static final int MAX_CANDLES = 5000;

  private static final Map<String, Duration> INTERVALS =
      Map.of("1m", Duration.ofMinutes(1), "1h", Duration.ofHours(1), "1d", Duration.ofDays(1));

  private final Instruments catalog;
  private final TradingHours hours;
  private final QuoteBoard board;
  private final MarketRepository repository;

  MarketApi(
      Instruments catalog, TradingHours hours, QuoteBoard board, MarketRepository repository) {
    this.catalog = catalog;
    this.hours = hours;
    this.board = board;
    this.repository = repository;
  }

  void listInstruments(RoutingContext ctx) {
    Requests.sendJson(
        ctx, Wire.list(catalog.all().stream().map(i -> MarketJson.instrument(i, hours)).toList()));
  }

  void listPrices(RoutingContext ctx) {
    List<JsonObject> items = new ArrayList<>();
    for (Instrument instrument : catalog.all()) {
      board.get(instrument.id()).ifPresent(q -> items.add(MarketJson.price(q, instrument)));
    }
    Requests.sendJson(ctx, Wire.list(items));
  }

  void getPrice(RoutingContext ctx) {
    Optional<Instrument> instrument = instrument(ctx);
    if (instrument.isEmpty()) {
      return;
    }
    board
        .get(instrument.get().id())
        .ifPresentOrElse(
            q -> Requests.sendJson(ctx, MarketJson.price(q, instrument.get())),
            () -> Problems.send(ctx, 503, "not-ready", "Market not ready", "prices are loading"));
  }

  void getCandles(RoutingContext ctx) {
    Optional<Instrument> instrument = instrument(ctx);
    if (instrument.isEmpty()) {
      return;
    }
    String intervalName = ctx.request().getParam("interval");
    Duration interval = INTERVALS.get(intervalName);
    Instant to;
    Instant from;
    try {
      to = parseTime(ctx.request().getParam("to"), Instant.now());
      from = parseTime(ctx.request().getParam("from"), to.minus(interval.multipliedBy(120)));
    } catch (DateTimeParseException e) {
      Problems.badRequest(
          ctx,
          "from and to must be ISO-8601 date-times with an offset, e.g. 2026-11-27T09:30:00+08:00");
      return;
    }
    if (!from.isBefore(to)) {
      Problems.badRequest(ctx, "from must be before to");
      return;
    }
    if (Duration.between(from, to).dividedBy(interval) > MAX_CANDLES) {
      Problems.badRequest(
          ctx,
          "at most "
              + MAX_CANDLES
              + " candles per request; narrow from/to or use a longer interval");
      return;
    }
    repository
        .candles(instrument.get().id(), interval, from, to)
        .onSuccess(
            candles -> {
              Requests.sendJson(
                  ctx, MarketJson.candles(instrument.get().id(), intervalName, from, to, candles));
            })
        .onFailure(ctx::fail);
  }

  private Optional<Instrument> instrument(RoutingContext ctx) {
    String id = ctx.pathParam("instrument");
    Optional<Instrument> instrument = catalog.find(id);
    if (instrument.isEmpty()) {
      Problems.notFound(ctx, "no instrument '" + id + "'; see GET /api/v1/instruments");
    }
    return instrument;
  }

  private static Instant parseTime(String text, Instant fallback) {
    return text == null || text.isEmpty() ? fallback : OffsetDateTime.parse(text).toInstant();
  }
}

package io.greenpledge.wire;

import io.greenpledge.market.DailyBar;
import io.greenpledge.market.Instrument;
import io.greenpledge.market.Quote;
import io.greenpledge.market.TradingHours;
import io.greenpledge.store.MarketRepository;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Market records as JSON, with the wire names of the contract. */
public final class MarketJson {

  private MarketJson() {}

  public static JsonObject instrument(Instrument i, TradingHours hours) {
    JsonArray sessions =
        new JsonArray(
            new java.util.ArrayList<>(io.greenpledge.market.TradingCalendar.of(hours).describe()));
    return new JsonObject()
        .put("id", i.id())
        .put("name", i.name())
        .put("nameEn", i.nameEn())
        .put("category", i.category().name())
        .put("unit", i.unit())
        .put("currency", i.currency())
        .put("liquidityTier", i.tier().name())
        .put("referencePrice", Wire.money(i.referencePrice()))
        .put("dailyLimit", Wire.ratio(i.dailyLimit()))
        .put("tickSize", Wire.money(i.tickSize()))
        .put("expiring", i.expiring())
        .put("staleAfterSeconds", i.staleAfter().toSeconds())
        .put(
            "calendar",
            new JsonObject()
                .put("timeZone", "Asia/Shanghai")
                .put("hours", hours.name())
                .put("sessions", sessions));
  }

  public static JsonObject price(Quote q, Instrument i) {
    // The change is the mark's, on the mark's basis, against the previous close.
    double change = Double.isNaN(q.lastTrade()) ? Double.NaN : q.mark() / q.previousClose() - 1;
    return new JsonObject()
        .put("instrument", q.instrument())
        .put("mark", Wire.money(q.mark()))
        .put("basis", q.basis().name())
        .put("lastTrade", Wire.decimal(q.lastTrade(), 4))
        .put("lastTradeAt", Wire.time(q.lastTickAt()))
        .put("vwap20", Wire.decimal(q.vwap20(), 4))
        .put("previousClose", Wire.decimal(q.previousClose(), 4))
        .put("change", Wire.ratio(change))
        .put("referencePrice", Wire.money(q.referencePrice()))
        .put("stale", q.stale())
        .put("staleDays", q.staleDays())
        .put("sigma", Wire.decimal(q.sigma(), 8))
        .put("sigmaBasis", q.sigmaBasis().name())
        .put("adv20", Wire.decimal(q.adv20(), 6))
        .put(
            "haircutInputs",
            new JsonObject()
                .put("liquidityTier", i.tier().name())
                .put("horizonDays", i.tier().horizonDays())
                .put("haircutFloor", Wire.ratio(i.tier().haircutFloor()))
                .put("haircutAddOn", Wire.ratio(i.tier().haircutAddOn())))
        .put("today", today(q.today()))
        .put(
            "lastTick",
            q.lastTickAt() == null
                ? null
                : new JsonObject().put("source", q.lastTickSource()).put("seq", q.lastTickSeq()))
        .put("asOf", Wire.time(q.asOf()));
  }

  private static JsonObject today(DailyBar bar) {
    if (bar == null) {
      return null;
    }
    return new JsonObject()
        .put("open", Wire.money(bar.open()))
        .put("high", Wire.money(bar.high()))
        .put("low", Wire.money(bar.low()))
        .put("close", Wire.money(bar.close()))
        .put("volume", Wire.quantity(bar.volume()));
  }

  /** {@code GET /api/v1/prices/{instrument}/candles}. */
  public static JsonObject candles(
      String instrument,
      String interval,
      java.time.Instant from,
      java.time.Instant to,
      java.util.List<MarketRepository.Candle> candles) {
    JsonArray items = new JsonArray();
    candles.forEach(c -> items.add(candle(c)));
    return new JsonObject()
        .put("instrument", instrument)
        .put("interval", interval)
        .put("from", from.toString())
        .put("to", to.toString())
        .put("items", items);
  }

  public static JsonObject candle(MarketRepository.Candle c) {
    return new JsonObject()
        .put("start", Wire.time(c.start()))
        .put("open", c.open().setScale(2, java.math.RoundingMode.HALF_EVEN))
        .put("high", c.high().setScale(2, java.math.RoundingMode.HALF_EVEN))
        .put("low", c.low().setScale(2, java.math.RoundingMode.HALF_EVEN))
        .put("close", c.close().setScale(2, java.math.RoundingMode.HALF_EVEN))
        .put("volume", Wire.plain(c.volume()))
        .put("trades", c.trades());
  }
}

package io.greenpledge.api;

import io.greenpledge.book.LimitsRepository;
import io.greenpledge.engine.market.QuoteBoard;
import io.greenpledge.limits.Limits;
import io.greenpledge.market.Instruments;
import io.greenpledge.market.TradingCalendar;
import io.greenpledge.valuation.Pledge;
import io.greenpledge.wire.LimitsJson;
import io.vertx.core.Future;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Optional;

/** A bank's limits as they stand, and whether a position meets its eligibility schedule. */
final class Eligibility {

  private final LimitsRepository limits;
  private final QuoteBoard quotes;
  private final Instruments catalog;

  Eligibility(LimitsRepository limits, QuoteBoard quotes, Instruments catalog) {
    this.limits = limits;
    this.quotes = quotes;
    this.catalog = catalog;
  }

  LimitsRepository repository() {
    return limits;
  }

  Instruments catalog() {
    return catalog;
  }

  /** The bank's limits, or none when it has not set any. */
  Future<Limits> of(String bank) {
    return limits
        .find(bank)
        .map(
            stored ->
                stored
                    .map(s -> LimitsJson.parse(s.limits(), java.util.Set.copyOf(catalog.ids())))
                    .orElse(Limits.NONE));
  }

  /** The first rule of {@code limits} the pledge breaks now, if any. */
  Optional<Limits.Breach> breach(Limits limits, Pledge p) {
    return limits.eligibility(
        p.instrument(),
        BigDecimal.valueOf(p.quantity()),
        p.rightExpiry(),
        LocalDate.now(TradingCalendar.ZONE),
        adv20(p.instrument()));
  }

  /** ADV20 of every instrument with a quote. */
  java.util.Map<String, BigDecimal> adv20() {
    java.util.Map<String, BigDecimal> adv = new java.util.HashMap<>();
    quotes.all().forEach(q -> adv.put(q.instrument(), BigDecimal.valueOf(q.adv20())));
    return adv;
  }

  private BigDecimal adv20(String instrument) {
    return quotes.get(instrument).map(q -> BigDecimal.valueOf(q.adv20())).orElse(BigDecimal.ZERO);
  }
}

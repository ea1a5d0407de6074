package io.greenpledge.engine.market;

import io.greenpledge.market.Quote;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest quote of every instrument, written by the market verticle and read lock-free by any
 * HTTP event loop. Quotes are immutable, so a reader always sees a consistent one.
 */
public final class QuoteBoard {

  private final Map<String, Quote> quotes = new ConcurrentHashMap<>();

  public void put(Quote quote) {
    quotes.put(quote.instrument(), quote);
  }

  public Optional<Quote> get(String instrument) {
    return Optional.ofNullable(quotes.get(instrument));
  }

  public Collection<Quote> all() {
    return quotes.values();
  }
}

package io.greenpledge.api;

import io.greenpledge.book.PledgeRepository;
import io.greenpledge.engine.market.QuoteBoard;
import io.greenpledge.engine.risk.ValuationBoard;
import io.greenpledge.limits.SystemExposure;
import io.greenpledge.market.Quote;
import io.greenpledge.valuation.Valuation;
import io.greenpledge.wire.SystemJson;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /api/v1/system/*}, the regulator's only: every bank's exposure per instrument with the
 * days the market would need to absorb it, and the borrowers that pledge at several banks.
 */
final class SystemApi {

  private final Vertx vertx;
  private final QuoteBoard quotes;
  private final ValuationBoard board;
  private final PledgeRepository pledges;
  private final io.greenpledge.book.ValuationRepository history;
  private final io.greenpledge.market.Instruments catalog;
  private final io.greenpledge.ops.OneAtATime bookReads;

  SystemApi(
      Vertx vertx,
      QuoteBoard quotes,
      ValuationBoard board,
      PledgeRepository pledges,
      io.greenpledge.book.ValuationRepository history,
      io.greenpledge.market.Instruments catalog,
      io.greenpledge.ops.OneAtATime bookReads) {
    this.bookReads = bookReads;
    this.vertx = vertx;
    this.quotes = quotes;
    this.board = board;
    this.pledges = pledges;
    this.history = history;
    this.catalog = catalog;
  }

  /**
   * The district's green-loan figures: the loan balance pledged rights secure, by right category,
   * now (the live valuations) and 30 and 90 days ago (the stored valuations of then), with growth.
   */
  void greenLoans(RoutingContext ctx) {
    Instant now = Instant.now();
    Requests.sendOneAtATime(
        ctx,
        bookReads,
        RiskApi.BOOK_RUNS,
        () ->
            vertx
                .executeBlocking(this::liveByCategory, false)
                .compose(
                    live ->
                        Future.all(
                                history.balanceByCategory(now.minus(java.time.Duration.ofDays(30))),
                                history.balanceByCategory(now.minus(java.time.Duration.ofDays(90))))
                            .map(
                                past ->
                                    SystemJson.greenLoans(
                                        live.balanceFen(),
                                        live.pledges(),
                                        past.resultAt(0),
                                        past.resultAt(1),
                                        now))));
  }

  /** The live loan balance and pledges by right category (every category, zero when none). */
  private record ByCategory(Map<String, Long> balanceFen, Map<String, Integer> pledges) {}

  /**
   * The live book by right category: the system exposure's totals per instrument (one pass over the
   * whole book, on a worker) folded into their instruments' categories.
   */
  private ByCategory liveByCategory() {
    Map<String, Long> balance = new java.util.TreeMap<>();
    Map<String, Integer> counted = new java.util.TreeMap<>();
    for (io.greenpledge.market.Category category : io.greenpledge.market.Category.values()) {
      balance.put(category.name(), 0L);
      counted.put(category.name(), 0);
    }
    for (SystemExposure.InstrumentExposure held :
        SystemExposure.ofBook(board.seenBy(bank -> true), Map.of())) {
      String category = catalog.find(held.instrument()).orElseThrow().category().name();
      balance.merge(category, held.outstandingFen(), Long::sum);
      counted.merge(category, held.pledges(), Integer::sum);
    }
    return new ByCategory(balance, counted);
  }

  /** Sums every live valuation: off the event loop, like the portfolio. */
  void exposure(RoutingContext ctx) {
    Map<String, BigDecimal> adv20 = new HashMap<>();
    for (Quote quote : quotes.all()) {
      adv20.put(quote.instrument(), BigDecimal.valueOf(quote.adv20()));
    }
    Requests.sendOneAtATime(
        ctx,
        bookReads,
        RiskApi.BOOK_RUNS,
        () ->
            vertx.executeBlocking(
                () ->
                    SystemJson.exposure(
                        SystemExposure.ofBook(board.seenBy(bank -> true), adv20), Instant.now()),
                false));
  }

  /** Borrowers with live pledges at two or more banks, the largest outstanding first. */
  void borrowers(RoutingContext ctx) {
    pledges
        .sharedBorrowers()
        .map(
            shared -> {
              List<SystemJson.SharedBorrower> result = new ArrayList<>();
              for (PledgeRepository.SharedBorrower s : shared) {
                Map<String, long[]> byBank = new LinkedHashMap<>();
                for (int i = 0; i < s.pledgeIds().size(); i++) {
                  long[] sums = byBank.computeIfAbsent(s.banks().get(i), k -> new long[3]);
                  Optional<Valuation> v = board.get(s.pledgeIds().get(i));
                  sums[0]++;
                  sums[1] += v.map(Valuation::outstandingFen).orElse(0L);
                  sums[2] += v.map(Valuation::marketValueFen).orElse(0L);
                }
                List<SystemJson.BankPart> parts = new ArrayList<>();
                long outstanding = 0;
                long marketValue = 0;
                for (Map.Entry<String, long[]> bank : byBank.entrySet()) {
                  long[] sums = bank.getValue();
                  parts.add(
                      new SystemJson.BankPart(bank.getKey(), (int) sums[0], sums[1], sums[2]));
                  outstanding += sums[1];
                  marketValue += sums[2];
                }
                result.add(
                    new SystemJson.SharedBorrower(
                        s.code(), s.name(), s.group(), parts, outstanding, marketValue));
              }
              result.sort(
                  Comparator.comparingLong(SystemJson.SharedBorrower::outstandingFen).reversed());
              return SystemJson.borrowers(result, Instant.now());
            })
        .onSuccess(json -> Requests.sendJson(ctx, json))
        .onFailure(ctx::fail);
  }
}

package io.greenpledge.wire;

import io.greenpledge.valuation.CoverageStatus;
import io.greenpledge.valuation.Money;
import io.greenpledge.valuation.Valuation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Totals of current valuations by bank, status and instrument. Amounts are added as the rounded fen
 * shown on each valuation, so every total equals the sum of its parts on screen.
 */
public final class PortfolioJson {

  /** Sums of one group. */
  private static final class Totals {
    long count;
    long outstanding;
    long marketValue;
    long eligibleValue;
    long cashMargin;
    long topUp;

    void add(Valuation v) {
      count++;
      outstanding += v.outstandingFen();
      marketValue += v.marketValueFen();
      eligibleValue += v.eligibleFen();
      cashMargin += v.cashMarginFen();
      topUp += v.topUpFen();
    }

    JsonObject json() {
      return new JsonObject()
          .put("count", count)
          .put("outstanding", Money.ofCents(outstanding))
          .put("marketValue", Money.ofCents(marketValue))
          .put("eligibleValue", Money.ofCents(eligibleValue))
          .put("cashMargin", Money.ofCents(cashMargin))
          .put("topUp", Money.ofCents(topUp));
    }
  }

  /** One bank's book. */
  private static final class Bank {
    final Totals totals = new Totals();
    final Map<String, Totals> byStatus = new TreeMap<>();
    final Map<String, Totals> byInstrument = new TreeMap<>();
    double minCoverage = Double.POSITIVE_INFINITY;

    Bank() {
      for (CoverageStatus status : CoverageStatus.values()) {
        byStatus.put(status.name(), new Totals());
      }
    }

    void add(Valuation v) {
      totals.add(v);
      byStatus.get(v.status().name()).add(v);
      byInstrument.computeIfAbsent(v.instrument(), k -> new Totals()).add(v);
      minCoverage = Math.min(minCoverage, v.coverage());
    }
  }

  private PortfolioJson() {}

  /**
   * The body of {@code GET /api/v1/portfolio}.
   *
   * @param bank the caller's bank (always listed, even with an empty book); empty for the regulator
   */
  public static JsonObject of(Iterable<Valuation> valuations, Optional<String> bank, Instant asOf) {
    Map<String, Bank> banks = new TreeMap<>();
    bank.ifPresent(b -> banks.put(b, new Bank()));
    Totals all = new Totals();
    for (Valuation v : valuations) {
      if (bank.map(v.bank()::equals).orElse(true)) {
        banks.computeIfAbsent(v.bank(), b -> new Bank()).add(v);
        all.add(v);
      }
    }
    JsonArray items = new JsonArray();
    banks.forEach(
        (name, book) -> {
          JsonObject byStatus = new JsonObject();
          book.byStatus.forEach((status, totals) -> byStatus.put(status, totals.json()));
          JsonObject byInstrument = new JsonObject();
          book.byInstrument.forEach(
              (instrument, totals) -> byInstrument.put(instrument, totals.json()));
          items.add(
              new JsonObject()
                  .put("bank", name)
                  .put("totals", book.totals.json())
                  .put("byStatus", byStatus)
                  .put("byInstrument", byInstrument)
                  .put("minCoverage", Wire.ratio(book.minCoverage)));
        });
    return new JsonObject()
        .put("asOf", asOf.toString())
        .put("totals", all.json())
        .put("banks", items);
  }
}

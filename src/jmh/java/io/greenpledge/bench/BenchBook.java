package io.greenpledge.bench;

import io.greenpledge.market.DailyBar;
import io.greenpledge.market.Instruments;
import io.greenpledge.market.MarkBasis;
import io.greenpledge.market.Quote;
import io.greenpledge.market.SigmaBasis;
import io.greenpledge.valuation.Lines;
import io.greenpledge.valuation.Pledge;
import io.greenpledge.valuation.PledgeBook;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.SplittableRandom;

/** The pledges and quotes the JMH benchmarks build their books from. */
public final class BenchBook {

  private BenchBook() {}

  /**
   * A fresh quote whose last trade, VWAP20 and mark are {@code price}, with reference and previous
   * close at {@code reference}, on a trading day of 27 days' VWAP window.
   */
  public static Quote quote(
      String instrument,
      double price,
      double reference,
      double sigma,
      double adv20,
      Instant now,
      LocalDate today) {
    return new Quote(
        instrument,
        price,
        price,
        sigma,
        SigmaBasis.EWMA,
        adv20,
        reference,
        reference,
        price,
        MarkBasis.CONSERVATIVE,
        false,
        0,
        true,
        now,
        "bench",
        1,
        new DailyBar(today, price, price, price, price, now, 1, price),
        today.minusDays(27),
        today,
        now);
  }

  /** Pledge {@code P<i>} (loan {@code L<i>}, certificate {@code C<i>}), DEMO-A when i is even. */
  public static Pledge pledge(
      int i, String instrument, double quantity, long outstandingCents, Instant now) {
    return pledge(i, i % 2 == 0 ? "DEMO-A" : "DEMO-B", instrument, quantity, outstandingCents, now);
  }

  /** Pledge {@code P<i>} (loan {@code L<i>}, certificate {@code C<i>}) of {@code bank}. */
  public static Pledge pledge(
      int i, String bank, String instrument, double quantity, long outstandingCents, Instant now) {
    return new Pledge(
        "P" + i,
        bank,
        "borrower",
        "91500105MA6000001X",
        null,
        "L" + i,
        instrument,
        quantity,
        "C" + i,
        null,
        null,
        outstandingCents,
        0,
        Lines.DEFAULT,
        MarkBasis.CONSERVATIVE,
        Pledge.State.ACTIVE,
        1,
        now,
        now);
  }

  /** The quotes of {@link #twoInstruments}: CEA at 72.00, CQEA at 30.00. */
  static Map<String, Quote> twoInstrumentQuotes(Instant now, LocalDate today) {
    return Map.of(
        "CEA", quote("CEA", 72.00, 72.00, 0.0175, 150_000, now, today),
        "CQEA", quote("CQEA", 30.00, 30.00, 0.04, 5_000, now, today));
  }

  /**
   * A book of {@code pledges} pledges, a third on CQEA and the rest on CEA, half DEMO-A and half
   * DEMO-B, each covered 1.25 to 1.75 times at {@code quotes}, valued at {@code now}.
   */
  static PledgeBook twoInstruments(
      Instruments catalog, Map<String, Quote> quotes, int pledges, Instant now, LocalDate today) {
    PledgeBook book = new PledgeBook(catalog);
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < pledges; i++) {
      String instrument = i % 3 == 0 ? "CQEA" : "CEA";
      Quote quote = quotes.get(instrument);
      double quantity = 1_000 + random.nextInt(200_000);
      double coverage = 1.25 + random.nextDouble() * 0.5;
      long outstandingCents = Math.round(quantity * quote.mark() / coverage * 100);
      book.upsert(pledge(i, instrument, quantity, outstandingCents, now), quote, null, now, today);
    }
    return book;
  }
}

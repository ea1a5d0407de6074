package io.greenpledge.valuation;

import io.greenpledge.market.DailyBar;
import io.greenpledge.market.MarkBasis;
import io.greenpledge.market.Quote;
import java.time.Instant;
import java.time.LocalDate;

/** Pledges and quotes with round numbers, for valuations worked by hand. */
public final class Fixtures {

  public static final Instant NOW = Instant.parse("2026-11-27T02:00:00Z");
  public static final LocalDate TODAY = LocalDate.of(2026, 11, 27);

  private Fixtures() {}

  public static Pledge pledge(
      String id, String bank, String instrument, double quantity, long outstandingYuan) {
    return new Pledge(
        id,
        bank,
        "重庆某化工有限公司",
        "91500105MA6000001X",
        null,
        "LOAN-" + id,
        instrument,
        quantity,
        "CERT-" + id,
        null,
        null,
        outstandingYuan * 100,
        0,
        Lines.DEFAULT,
        MarkBasis.LAST,
        Pledge.State.ACTIVE,
        1,
        NOW,
        NOW);
  }

  static Pledge expiring(
      String id,
      String instrument,
      double quantity,
      long outstandingYuan,
      LocalDate start,
      LocalDate expiry) {
    Pledge p = pledge(id, "DEMO-A", instrument, quantity, outstandingYuan);
    return new Pledge(
        p.id(),
        p.bank(),
        p.borrower(),
        p.borrowerCode(),
        p.borrowerGroup(),
        p.loanId(),
        p.instrument(),
        p.quantity(),
        p.certificate(),
        start,
        expiry,
        p.outstandingCents(),
        p.cashMarginCents(),
        p.lines(),
        p.basis(),
        p.state(),
        p.version(),
        p.createdAt(),
        p.updatedAt());
  }

  /** The same pledge with cash margin posted on it. */
  public static Pledge withCash(Pledge p, long cashCents) {
    return new Pledge(
        p.id(),
        p.bank(),
        p.borrower(),
        p.borrowerCode(),
        p.borrowerGroup(),
        p.loanId(),
        p.instrument(),
        p.quantity(),
        p.certificate(),
        p.rightStart(),
        p.rightExpiry(),
        p.outstandingCents(),
        cashCents,
        p.lines(),
        p.basis(),
        p.state(),
        p.version(),
        p.createdAt(),
        p.updatedAt());
  }

  /** A fresh market trading at {@code last}, with the given σ and ADV20. */
  public static Quote quote(String instrument, double last, double sigma, double adv20) {
    return quote(instrument, last, last, sigma, adv20, false, 0);
  }

  /** A market with its VWAP20, staleness and the trading days since its last trade. */
  public static Quote quote(
      String instrument,
      double last,
      double vwap20,
      double sigma,
      double adv20,
      boolean stale,
      int staleDays) {
    return new Quote(
        instrument,
        last,
        vwap20,
        sigma,
        io.greenpledge.market.SigmaBasis.EWMA,
        adv20,
        last,
        last,
        last,
        MarkBasis.LAST,
        stale,
        staleDays,
        true,
        NOW,
        "test",
        1,
        new DailyBar(TODAY, last, last, last, last, NOW, 1, last),
        TODAY.minusDays(19),
        TODAY,
        NOW);
  }
}

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
    return withTerm(pledge(id, "DEMO-A", instrument, quantity, outstandingYuan), start, expiry);
  }

  /** The same pledge on a right that runs from {@code start} to {@code expiry}. */
  static Pledge withTerm(Pledge p, LocalDate start, LocalDate expiry) {
    return copy(p, start, expiry, p.cashMarginCents(), p.basis(), p.state());
  }

  /** The same pledge marked on another basis. */
  static Pledge withBasis(Pledge p, MarkBasis basis) {
    return copy(p, p.rightStart(), p.rightExpiry(), p.cashMarginCents(), basis, p.state());
  }

  /** The same pledge with cash margin posted on it. */
  public static Pledge withCash(Pledge p, long cashCents) {
    return copy(p, p.rightStart(), p.rightExpiry(), cashCents, p.basis(), p.state());
  }

  /** The same pledge, released. */
  public static Pledge released(Pledge p) {
    return copy(
        p, p.rightStart(), p.rightExpiry(), p.cashMarginCents(), p.basis(), Pledge.State.RELEASED);
  }

  private static Pledge copy(
      Pledge p,
      LocalDate start,
      LocalDate expiry,
      long cashCents,
      MarkBasis basis,
      Pledge.State state) {
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
        cashCents,
        p.lines(),
        basis,
        state,
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
    return quote(instrument, last, vwap20, sigma, adv20, stale, staleDays, 1, TODAY);
  }

  /** As above, from tick {@code seq} (seq seconds after {@link #NOW}) on {@code today}. */
  public static Quote quote(
      String instrument,
      double last,
      double vwap20,
      double sigma,
      double adv20,
      boolean stale,
      int staleDays,
      long seq,
      LocalDate today) {
    Instant at = NOW.plusSeconds(seq - 1);
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
        at,
        "test",
        seq,
        new DailyBar(today, last, last, last, last, at, 1, last),
        today.minusDays(19),
        today,
        at);
  }
}

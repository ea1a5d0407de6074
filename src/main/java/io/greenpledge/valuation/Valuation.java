package io.greenpledge.valuation;

import java.time.Instant;

/**
 * A pledge valued at one mark, in the exact units it is served in, with everything needed to
 * recompute it from the served fields: quantity (1e-4 units), mark (fen per unit), term factor and
 * ratios (millionths), money (fen). Every amount is rounded once, half-even.
 *
 * <pre>
 * MV        = round2(quantity × mark × termFactor)
 * C         = MV + cashMargin                  (cash margin counts at 100 %)
 * eligible  = round2(MV × (1 − H)) + cashMargin
 * LTV       = round6(outstanding / C)         coverage = round6(C / outstanding)
 * status    from the served coverage and the lines (worsens at once, improves past line + 0.02)
 * topUp     = max(0, round2(outstanding / initialLtv) − C) in MARGIN_CALL and DISPOSAL, else 0;
 *             as quantity: ceil4(topUp / (mark × termFactor))
 * distanceToNextLine = the next worse line L and the price move
 *             round6((L × outstanding − cashMargin) / MV) − 1 that reaches it (null when none does)
 * </pre>
 *
 * @param horizonDays {@link Haircut#NO_VOLUME} when the window had no volume (H = 0.95)
 * @param modelHaircutMicro the model's haircut before the bank's terms (see {@link BankTerms})
 * @param coverageMicro {@link #UNDEFINED} when nothing is outstanding
 * @param ltvMicro {@link #UNDEFINED} when the collateral is 0 and something is outstanding
 * @param moveToNextLineMicro the relative price move that reaches the next worse line; {@link
 *     #UNDEFINED} without one
 */
public record Valuation(
    Position position,
    long marketValueFen,
    long haircutMicro,
    long eligibleFen,
    long ltvMicro,
    long coverageMicro,
    CoverageStatus status,
    long topUpFen,
    long topUpQuantityUnits,
    long horizonDays,
    long moveToNextLineMicro,
    MarketInputs market,
    Instant valuedAt,
    long modelHaircutMicro) {

  /**
   * What a valuation takes from the pledge alone, shared by its valuations at every mark of the day
   * (a revaluation of a million pledges allocates only what the mark moves).
   *
   * @param cashMarginFen cash margin posted on the pledge, counted at 100 %
   * @param termFactorMicro the expiring right's term factor of the day, 1 otherwise
   */
  public record Position(
      String pledgeId,
      String bank,
      long quantityUnits,
      long outstandingFen,
      long cashMarginFen,
      Lines lines,
      long termFactorMicro,
      BankTerms bankTerms) {}

  public String pledgeId() {
    return position.pledgeId();
  }

  public String bank() {
    return position.bank();
  }

  public long quantityUnits() {
    return position.quantityUnits();
  }

  public long outstandingFen() {
    return position.outstandingFen();
  }

  public long cashMarginFen() {
    return position.cashMarginFen();
  }

  public Lines lines() {
    return position.lines();
  }

  public long termFactorMicro() {
    return position.termFactorMicro();
  }

  public BankTerms bankTerms() {
    return position.bankTerms();
  }

  public static final long UNDEFINED = Long.MAX_VALUE;

  /** The next worse status, whose line {@link #moveToNextLineMicro} reaches; null in DISPOSAL. */
  public CoverageStatus nextLine() {
    return status.nextWorse();
  }

  public String instrument() {
    return market.instrument();
  }

  public boolean stale() {
    return market.stale();
  }

  public double mark() {
    return market.markPrice();
  }

  public double quantity() {
    return quantityUnits() / 10_000.0;
  }

  public double marketValue() {
    return marketValueFen / 100.0;
  }

  public double eligibleValue() {
    return eligibleFen / 100.0;
  }

  public double outstanding() {
    return outstandingFen() / 100.0;
  }

  /**
   * The right's value after the model's haircut alone (no bank floor or add-on, no cash): what a
   * bank's concentration is measured in, so that the add-on never feeds back into it.
   */
  public long modelEligibleFen() {
    return Exact.mulDiv(marketValueFen, 1_000_000 - modelHaircutMicro, 1_000_000);
  }

  public double haircut() {
    return haircutMicro / 1e6;
  }

  public double termFactor() {
    return termFactorMicro() / 1e6;
  }

  public double coverage() {
    return coverageMicro == UNDEFINED ? Double.POSITIVE_INFINITY : coverageMicro / 1e6;
  }

  public double ltv() {
    return ltvMicro == UNDEFINED ? Double.POSITIVE_INFINITY : ltvMicro / 1e6;
  }

  public double topUpAmount() {
    return topUpFen / 100.0;
  }

  public double topUpQuantity() {
    return topUpQuantityUnits / 10_000.0;
  }
}

package io.greenpledge.valuation;

import io.greenpledge.market.Instrument;
import io.greenpledge.market.LiquidityTier;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Values one pledge. Pure: the same inputs give the same valuation, bit for bit. Exact: every
 * amount is computed on scaled integers from the served mark, term factor and haircut, and rounded
 * once (see {@link Valuation}).
 */
public final class Valuer {

  private static final long MICRO = 1_000_000;

  private Valuer() {}

  public static Valuation value(
      Pledge pledge,
      Instrument instrument,
      MarketInputs market,
      CoverageStatus previous,
      LocalDate today,
      Instant asOf) {
    return value(pledge, instrument, market, previous, today, asOf, BankTerms.NONE);
  }

  /** As above, with the bank's own haircut floor and concentration add-on for the pledge. */
  public static Valuation value(
      Pledge pledge,
      Instrument instrument,
      MarketInputs market,
      CoverageStatus previous,
      LocalDate today,
      Instant asOf,
      BankTerms terms) {
    long termFactor =
        instrument.expiring()
            ? TermFactor.micro(pledge.rightStart(), pledge.rightExpiry(), today)
            : TermFactor.ONE;
    Valuation.Position position = position(pledge, termFactor, terms);
    long horizon =
        Haircut.horizonDays(
            instrument.tier(), position.quantityUnits(), market.adv20Micro(), market.staleDays());
    return compute(
        position,
        horizon,
        Haircut.haircutMicro(instrument.tier(), market.sigma(), horizon),
        market,
        previous,
        asOf);
  }

  /** What a valuation of the pledge takes from the pledge alone, on a day's term factor. */
  static Valuation.Position position(Pledge pledge, long termFactor, BankTerms terms) {
    return new Valuation.Position(
        pledge.id(),
        pledge.bank(),
        Exact.units(pledge.quantity(), 4),
        pledge.outstandingCents(),
        pledge.cashMarginCents(),
        pledge.lines(),
        termFactor,
        terms);
  }

  /**
   * The same position at another mark (a stress scenario), its figures into {@code figures} (from
   * 0, {@link #valuation} builds it), {@code inputs} as scratch: quantity, outstanding, cash
   * margin, lines, term and horizon stay; no hysteresis, the status is where coverage alone puts
   * it. A stress run over a million pledges builds a valuation only for the ones it keeps.
   */
  static CoverageStatus revalue(
      Valuation base, LiquidityTier tier, MarketInputs market, long[] inputs, long[] figures) {
    inputs(base.position(), inputs, 0);
    return figures(
        inputs,
        0,
        base.horizonDays(),
        Haircut.haircutMicro(tier, market.sigma(), base.horizonDays()),
        market.markCents(),
        null,
        figures,
        0);
  }

  private static Valuation compute(
      Valuation.Position position,
      long horizon,
      long modelHaircut,
      MarketInputs market,
      CoverageStatus previous,
      Instant asOf) {
    long[] inputs = new long[INPUTS];
    inputs(position, inputs, 0);
    long[] figures = new long[FIGURES];
    CoverageStatus status =
        figures(inputs, 0, horizon, modelHaircut, market.markCents(), previous, figures, 0);
    return valuation(position, figures, 0, status, market, asOf);
  }

  // Where figures() reads each input of a position, from its offset: the book keeps them so, by
  // slot, beside its own. All scaled integers: the lines and the bank's terms are read from their
  // objects once, when the position is made, not on every revaluation.
  static final int QUANTITY = 0; // units, 4 decimals
  static final int OUTSTANDING = 1; // fen
  static final int CASH = 2; // fen
  static final int TERM_FACTOR = 3; // millionths
  static final int INITIAL_LTV = 4; // millionths, as the lines below
  static final int WARNING_LINE = 5;
  static final int MARGIN_CALL_LINE = 6;
  static final int DISPOSAL_LINE = 7;
  static final int HAIRCUT_FLOOR = 8; // the bank's terms, millionths
  static final int HAIRCUT_ADD_ON = 9;
  static final int INPUTS = 10;

  /** Writes the position's inputs into {@code into} from {@code at}, in the order above. */
  static void inputs(Valuation.Position position, long[] into, int at) {
    Lines lines = position.lines();
    into[at + QUANTITY] = position.quantityUnits();
    into[at + OUTSTANDING] = position.outstandingFen();
    into[at + CASH] = position.cashMarginFen();
    into[at + TERM_FACTOR] = position.termFactorMicro();
    into[at + INITIAL_LTV] = lines.initialLtvMicro();
    into[at + WARNING_LINE] = lines.warningMicro();
    into[at + MARGIN_CALL_LINE] = lines.marginCallMicro();
    into[at + DISPOSAL_LINE] = lines.disposalMicro();
    into[at + HAIRCUT_FLOOR] = position.bankTerms().floorMicro();
    into[at + HAIRCUT_ADD_ON] = position.bankTerms().addOnMicro();
  }

  // Where figures() writes each figure, from its offset: the book keeps them so, by slot.
  static final int MARKET_VALUE = 0;
  static final int HAIRCUT = 1;
  static final int ELIGIBLE = 2;
  static final int LTV = 3;
  static final int COVERAGE = 4;
  static final int TOP_UP = 5;
  static final int TOP_UP_QUANTITY = 6;
  static final int HORIZON = 7;
  static final int MOVE = 8;
  static final int MODEL_HAIRCUT = 9;
  static final int FIGURES = 10;

  /**
   * Works out a valuation's figures into {@code out} from {@code at} (in the order of the offsets
   * above) from a position's inputs in {@code in} from {@code from} (in the order of the input
   * offsets) and returns its status: the arithmetic of every valuation, kept apart from the objects
   * so that the book can keep a million of them in arrays and revalue them without allocating.
   */
  static CoverageStatus figures(
      long[] in,
      int from,
      long horizon,
      long modelHaircut,
      long mark,
      CoverageStatus previous,
      long[] out,
      int at) {
    long quantity = in[from + QUANTITY];
    long outstanding = in[from + OUTSTANDING];
    long cash = in[from + CASH];
    long termFactor = in[from + TERM_FACTOR];
    long warning = in[from + WARNING_LINE];
    long marginCall = in[from + MARGIN_CALL_LINE];
    long disposal = in[from + DISPOSAL_LINE];
    // units: quantity 1e-4 × mark 1e-2 = 1e-6 CNY → fen: / 1e4; with the term factor (1e-6): / 1e10
    long marketValue =
        termFactor == TermFactor.ONE
            ? Exact.mulDiv(quantity, mark, 10_000)
            : Exact.mulMulDiv(quantity, mark, termFactor, 10_000 * MICRO);
    long haircut =
        BankTerms.apply(in[from + HAIRCUT_FLOOR], in[from + HAIRCUT_ADD_ON], modelHaircut);
    // cash margin counts at 100 %: it is collateral beside the right, with no haircut
    long collateral = marketValue + cash;
    long eligible = Exact.mulDiv(marketValue, MICRO - haircut, MICRO) + cash;
    long coverage =
        outstanding > 0 ? Exact.mulDiv(collateral, MICRO, outstanding) : Valuation.UNDEFINED;
    long ltv =
        collateral > 0
            ? Exact.mulDiv(outstanding, MICRO, collateral)
            : (outstanding > 0 ? Valuation.UNDEFINED : 0);
    CoverageStatus status = CoverageStatus.next(previous, coverage, warning, marginCall, disposal);
    long topUp = 0;
    long topUpQuantity = 0;
    if (status == CoverageStatus.MARGIN_CALL || status == CoverageStatus.DISPOSAL) {
      topUp = Math.max(0, Exact.mulDiv(outstanding, MICRO, in[from + INITIAL_LTV]) - collateral);
      topUpQuantity = topUpQuantity(topUp, mark, termFactor);
    }
    CoverageStatus nextLine = status.nextWorse();
    long move =
        nextLine == null
            ? Valuation.UNDEFINED
            : moveToLine(
                nextLine.lineMicro(warning, marginCall, disposal), outstanding, cash, marketValue);
    out[at + MARKET_VALUE] = marketValue;
    out[at + HAIRCUT] = haircut;
    out[at + ELIGIBLE] = eligible;
    out[at + LTV] = ltv;
    out[at + COVERAGE] = coverage;
    out[at + TOP_UP] = topUp;
    out[at + TOP_UP_QUANTITY] = topUpQuantity;
    out[at + HORIZON] = horizon;
    out[at + MOVE] = move;
    out[at + MODEL_HAIRCUT] = modelHaircut;
    return status;
  }

  /** The valuation whose figures {@link #figures} wrote from {@code at}. */
  static Valuation valuation(
      Valuation.Position position,
      long[] figures,
      int at,
      CoverageStatus status,
      MarketInputs market,
      Instant asOf) {
    return new Valuation(
        position,
        figures[at + MARKET_VALUE],
        figures[at + HAIRCUT],
        figures[at + ELIGIBLE],
        figures[at + LTV],
        figures[at + COVERAGE],
        status,
        figures[at + TOP_UP],
        figures[at + TOP_UP_QUANTITY],
        figures[at + HORIZON],
        figures[at + MOVE],
        market,
        asOf,
        figures[at + MODEL_HAIRCUT]);
  }

  /**
   * The relative price move m at which (MV × (1 + m) + cash) / outstanding reaches the line L:
   * round6((L × outstanding − cash) / MV) − 1; undefined when no price reaches it (nothing at risk:
   * no market value, or the cash margin alone keeps coverage above the line).
   */
  private static long moveToLine(long lineMicro, long outstanding, long cash, long marketValue) {
    if (marketValue <= 0) {
      return Valuation.UNDEFINED;
    }
    // fen × millionths, exact: L × outstanding − cash × 1e6; on longs for every ordinary position
    // (this runs for every pledge on every mark change), BigDecimal only past 64 bits
    try {
      long needed =
          Math.subtractExact(
              Math.multiplyExact(lineMicro, outstanding), Math.multiplyExact(cash, MICRO));
      return needed <= 0 ? Valuation.UNDEFINED : Exact.div(needed, marketValue) - MICRO;
    } catch (ArithmeticException overflow) {
      BigDecimal needed =
          BigDecimal.valueOf(lineMicro)
              .multiply(BigDecimal.valueOf(outstanding))
              .subtract(BigDecimal.valueOf(cash).multiply(BigDecimal.valueOf(MICRO)));
      return needed.signum() <= 0
          ? Valuation.UNDEFINED
          : needed
                  .divide(BigDecimal.valueOf(marketValue), 0, RoundingMode.HALF_EVEN)
                  .longValueExact()
              - MICRO;
    }
  }

  /**
   * The units (1e-4) of the right that cover the top-up at the mark and term factor, rounded up.
   */
  private static long topUpQuantity(long topUpFen, long markCents, long termFactor) {
    if (topUpFen == 0) {
      return 0;
    }
    if (markCents == 0 || termFactor == 0) {
      return Valuation.UNDEFINED;
    }
    // (topUp / 100) / ((mark / 100) × (tf / 1e6)) × 1e4 = topUp × 1e10 / (mark × tf)
    if (termFactor == TermFactor.ONE) {
      return Exact.mulDivCeil(topUpFen, 10_000, markCents);
    }
    return BigDecimal.valueOf(topUpFen)
        .multiply(BigDecimal.valueOf(10_000 * MICRO))
        .divide(
            BigDecimal.valueOf(markCents).multiply(BigDecimal.valueOf(termFactor)),
            0,
            RoundingMode.CEILING)
        .longValueExact();
  }
}

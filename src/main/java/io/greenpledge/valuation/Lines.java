package io.greenpledge.valuation;

/**
 * A loan's contract lines as a bank writes them: the initial loan-to-value (质押率, e.g. 0.6) and the
 * warning, margin-call and disposal lines as coverage ratios (market value / outstanding). Each has
 * at most six decimals and is used exactly as written; the initial coverage (1 / initialLtv) is
 * derived, never stored or served in its place.
 */
public record Lines(double initialLtv, double warning, double marginCall, double disposal) {

  /** Defaults from the design: 60 % loan-to-value, lines 1.40 / 1.30 / 1.20. */
  public static final Lines DEFAULT = new Lines(0.6, 1.40, 1.30, 1.20);

  static final long MICRO = 1_000_000;

  public Lines {
    for (double value : new double[] {initialLtv, warning, marginCall, disposal}) {
      if (!(value > 0)
          || Double.isInfinite(value)
          || Math.abs(value * MICRO - Math.round(value * MICRO)) > 1e-6) {
        throw new IllegalArgumentException(
            "lines are positive decimals with at most 6 places, got " + value);
      }
    }
    if (initialLtv > 1) {
      throw new IllegalArgumentException(
          "initialLtv is a loan-to-value of at most 1, got " + initialLtv);
    }
    if (!(warning > marginCall && marginCall > disposal)) {
      throw new IllegalArgumentException(
          "lines must be ordered warning > marginCall > disposal, got "
              + warning
              + ", "
              + marginCall
              + ", "
              + disposal);
    }
    // At origination the loan must sit at or above the warning line: 1 / initialLtv ≥ warning.
    if (Math.round(initialLtv * MICRO) * Math.round(warning * MICRO) > MICRO * MICRO) {
      throw new IllegalArgumentException(
          "the initial coverage 1/initialLtv must be at least the warning line, got "
              + "initialLtv "
              + initialLtv
              + " and warning "
              + warning);
    }
  }

  /** Derived: the coverage a new loan starts at. */
  public double initialCoverage() {
    return 1 / initialLtv;
  }

  public long initialLtvMicro() {
    return micro(initialLtv);
  }

  public long warningMicro() {
    return micro(warning);
  }

  public long marginCallMicro() {
    return micro(marginCall);
  }

  public long disposalMicro() {
    return micro(disposal);
  }

  /**
   * A line in millionths. The constructor holds every line within 1e-6 of a whole number of
   * millionths, where rounding half-even ({@code rint}, one instruction) and {@code Math.round} (a
   * library call on JDK 17) agree; the valuer asks for lines several times per pledge.
   */
  private static long micro(double value) {
    return (long) Math.rint(value * MICRO);
  }
}

package io.greenpledge.valuation;

/**
 * How safe a loan's collateral is, from its coverage (market value / outstanding) against the
 * contract lines. Declared from safest to worst.
 */
public enum CoverageStatus {
  HEALTHY,
  WARNING,
  MARGIN_CALL,
  DISPOSAL;

  /**
   * A status improves only once coverage clears the line by this much (2 percentage points of
   * coverage: out of MARGIN_CALL at 1.30 takes 1.32), so a noisy price does not flap alerts.
   */
  public static final double HYSTERESIS = 0.02;

  public boolean worseThan(CoverageStatus other) {
    return ordinal() > other.ordinal();
  }

  /** {@link #HYSTERESIS} in millionths. */
  public static final long HYSTERESIS_MICRO = 20_000;

  /**
   * The status a served coverage (in millionths, exact) puts a pledge in; lines compared exactly.
   */
  public static CoverageStatus classify(long coverageMicro, Lines lines) {
    return classify(
        coverageMicro, lines.warningMicro(), lines.marginCallMicro(), lines.disposalMicro());
  }

  /** {@link #classify(long, Lines)} on the lines in millionths, as the valuer keeps them. */
  static CoverageStatus classify(
      long coverageMicro, long warningMicro, long marginCallMicro, long disposalMicro) {
    if (coverageMicro < disposalMicro) {
      return DISPOSAL;
    }
    if (coverageMicro < marginCallMicro) {
      return MARGIN_CALL;
    }
    if (coverageMicro < warningMicro) {
      return WARNING;
    }
    return HEALTHY;
  }

  /** {@link #next(CoverageStatus, double, Lines)} on the served coverage, in millionths. */
  public static CoverageStatus next(CoverageStatus previous, long coverageMicro, Lines lines) {
    return next(
        previous,
        coverageMicro,
        lines.warningMicro(),
        lines.marginCallMicro(),
        lines.disposalMicro());
  }

  /** {@link #next(CoverageStatus, long, Lines)} on the lines in millionths. */
  static CoverageStatus next(
      CoverageStatus previous,
      long coverageMicro,
      long warningMicro,
      long marginCallMicro,
      long disposalMicro) {
    CoverageStatus raw = classify(coverageMicro, warningMicro, marginCallMicro, disposalMicro);
    if (previous == null || !previous.worseThan(raw)) {
      return raw;
    }
    CoverageStatus cleared =
        classify(coverageMicro - HYSTERESIS_MICRO, warningMicro, marginCallMicro, disposalMicro);
    return previous.worseThan(cleared) ? cleared : previous;
  }

  /** Declared order, once: {@code values()} copies the array on every call. */
  private static final CoverageStatus[] ORDER = values();

  /** The next worse line below a status, or null from DISPOSAL (there is none). */
  public CoverageStatus nextWorse() {
    return this == DISPOSAL ? null : ORDER[ordinal() + 1];
  }

  /** The coverage line (in millionths) below which a pledge is in this status. */
  public long lineMicro(Lines lines) {
    return lineMicro(lines.warningMicro(), lines.marginCallMicro(), lines.disposalMicro());
  }

  /** {@link #lineMicro(Lines)} on the lines in millionths. */
  long lineMicro(long warningMicro, long marginCallMicro, long disposalMicro) {
    return switch (this) {
      case HEALTHY -> Long.MAX_VALUE;
      case WARNING -> warningMicro;
      case MARGIN_CALL -> marginCallMicro;
      case DISPOSAL -> disposalMicro;
    };
  }

  /**
   * The status a coverage ratio puts a pledge in: {@link #classify(long, Lines)} on its millionths.
   */
  public static CoverageStatus classify(double coverage, Lines lines) {
    return classify(micro(coverage), lines);
  }

  /** {@link #next(CoverageStatus, long, Lines)} on a coverage ratio's millionths. */
  public static CoverageStatus next(CoverageStatus previous, double coverage, Lines lines) {
    return next(previous, micro(coverage), lines);
  }

  private static long micro(double coverage) {
    return Double.isInfinite(coverage) ? Long.MAX_VALUE : Math.round(coverage * 1_000_000);
  }
}

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

  /** The status coverage alone puts a pledge in. */
  public static CoverageStatus classify(double coverage, Lines lines) {
    if (coverage < lines.disposal()) {
      return DISPOSAL;
    }
    if (coverage < lines.marginCall()) {
      return MARGIN_CALL;
    }
    if (coverage < lines.warning()) {
      return WARNING;
    }
    return HEALTHY;
  }

  /** The next status: worsens at once, improves only past the line plus {@link #HYSTERESIS}. */
  public static CoverageStatus next(CoverageStatus previous, double coverage, Lines lines) {
    CoverageStatus raw = classify(coverage, lines);
    if (previous == null || !previous.worseThan(raw)) {
      return raw;
    }
    CoverageStatus cleared = classify(coverage - HYSTERESIS, lines);
    return previous.worseThan(cleared) ? cleared : previous;
  }
}

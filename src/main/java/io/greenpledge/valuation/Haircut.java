package io.greenpledge.valuation;

import io.greenpledge.market.LiquidityTier;

/**
 * The haircut of a pledged position: a 99 % one-sided move (z = 2.326) over the time it takes to
 * sell the position, plus a tier add-on, floored per tier and capped at 95 %.
 *
 * <pre>
 * T = max(tierHorizon, ceil(quantity / (0.2 × ADV20))) + staleDays     selling at most 20 % of a day's volume; no cap
 * H = clamp(2.326 × σ × √T + addOn, tierFloor, 0.95), half-even to 6 decimals
 * ADV20 = 0 (no volume in the window): H = 0.95, and no horizon
 * </pre>
 */
public final class Haircut {

  public static final double Z_99 = 2.326;
  public static final double MAX_HAIRCUT = 0.95;

  /** {@link #MAX_HAIRCUT} in millionths. */
  public static final long MAX_HAIRCUT_MICRO = Math.round(MAX_HAIRCUT * 1_000_000);

  public static final double PARTICIPATION = 0.2;

  /** The horizon of a position with no volume at all in the window: none, H is the cap. */
  public static final long NO_VOLUME = 0;

  private Haircut() {}

  /**
   * T in trading days, or {@link #NO_VOLUME}; quantity in 1e-4 units and ADV20 in millionths,
   * exact.
   */
  public static long horizonDays(
      LiquidityTier tier, long quantityUnits, long adv20Micro, int staleDays) {
    if (adv20Micro <= 0) {
      return NO_VOLUME;
    }
    // quantity / (0.2 × ADV20) = (q / 1e4) / (0.2 × a / 1e6) = 500 × q / a
    long days = Exact.ceilDiv(500 * quantityUnits, adv20Micro);
    return Math.max(tier.horizonDays(), days) + staleDays;
  }

  /**
   * H in millionths. The double expression is the one served in provenance, evaluated left to
   * right.
   */
  public static long haircutMicro(LiquidityTier tier, double sigma, long horizonDays) {
    if (horizonDays == NO_VOLUME) {
      return MAX_HAIRCUT_MICRO;
    }
    double raw = Z_99 * sigma * Math.sqrt(horizonDays) + tier.haircutAddOn();
    double clamped = Math.min(MAX_HAIRCUT, Math.max(tier.haircutFloor(), raw));
    return Exact.micro(clamped);
  }
}

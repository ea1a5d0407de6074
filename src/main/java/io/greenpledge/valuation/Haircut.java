package io.greenpledge.valuation;

import io.greenpledge.market.LiquidityTier;

/**
 * The haircut of a pledged position: a 99 % one-sided move (z = 2.326) over the time it takes to
 * sell the position, plus a tier add-on, floored per tier and capped at 95 %.
 *
 * <pre>
 * T = max(tierHorizon, ceil(quantity / (0.2 × ADV20)))     selling at most 20 % of a day's volume
 * H = clamp(2.326 × σ × √T + addOn, tierFloor, 0.95)
 * </pre>
 */
public final class Haircut {

  public static final double Z_99 = 2.326;
  public static final double MAX_HAIRCUT = 0.95;
  public static final double PARTICIPATION = 0.2;
  /** With no volume at all a position is treated as sellable over one trading year. */
  public static final int MAX_HORIZON_DAYS = 250;

  private Haircut() {}

  public static int horizonDays(LiquidityTier tier, double quantity, double adv20) {
    if (!(adv20 > 0)) {
      return MAX_HORIZON_DAYS;
    }
    double days = Math.ceil(quantity / (PARTICIPATION * adv20));
    return (int) Math.min(MAX_HORIZON_DAYS, Math.max(tier.horizonDays(), days));
  }

  public static double haircut(LiquidityTier tier, double sigma, int horizonDays) {
    double raw = Z_99 * sigma * Math.sqrt(horizonDays) + tier.haircutAddOn();
    return Math.min(MAX_HAIRCUT, Math.max(tier.haircutFloor(), raw));
  }
}

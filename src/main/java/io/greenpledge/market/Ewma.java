package io.greenpledge.market;

import java.util.List;

/**
 * RiskMetrics volatility of daily log returns: σ²ₜ = λσ²ₜ₋₁ + (1 − λ)rₜ², seeded with the sample
 * variance of the first {@value #SEED_RETURNS} returns. A return that spans k trading days (a day
 * without trade in between) counts as r/√k, so a gap does not read as one day's jump.
 */
public final class Ewma {

  public static final double LAMBDA = 0.94;

  /** Returns needed for an estimate; with fewer the catalog prior is used (basis PRIOR). */
  public static final int SEED_RETURNS = 10;

  /** Trading days of history a σ looks back over. */
  public static final int WINDOW_DAYS = 250;

  /** One daily observation: the log return already divided by √(trading days it spans). */
  public record Return(double scaled) {
    public static Return of(double from, double to, int tradingDays) {
      return new Return(Math.log(to / from) / Math.sqrt(Math.max(1, tradingDays)));
    }
  }

  /**
   * The variance after the returns, oldest first; NaN when there are fewer than {@link
   * #SEED_RETURNS}.
   */
  public static double variance(List<Return> returns, double lambda) {
    if (returns.size() < SEED_RETURNS) {
      return Double.NaN;
    }
    double mean = 0;
    for (int i = 0; i < SEED_RETURNS; i++) {
      mean += returns.get(i).scaled();
    }
    mean /= SEED_RETURNS;
    double seed = 0;
    for (int i = 0; i < SEED_RETURNS; i++) {
      double d = returns.get(i).scaled() - mean;
      seed += d * d;
    }
    double variance = seed / (SEED_RETURNS - 1);
    for (int i = SEED_RETURNS; i < returns.size(); i++) {
      double r = returns.get(i).scaled();
      variance = lambda * variance + (1 - lambda) * r * r;
    }
    return variance;
  }

  /** The next variance after one more return. */
  public static double next(double variance, Return r, double lambda) {
    return lambda * variance + (1 - lambda) * r.scaled() * r.scaled();
  }

  private Ewma() {}
}

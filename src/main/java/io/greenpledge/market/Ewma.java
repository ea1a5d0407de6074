package io.greenpledge.market;

import java.util.List;

/** RiskMetrics volatility: σ²ₜ = λσ²ₜ₋₁ + (1 − λ)rₜ², seeded with the first squared return. */
public final class Ewma {

  public static final double LAMBDA = 0.94;

  private Ewma() {}

  /** Daily σ from consecutive closes, oldest first; {@code fallback} when fewer than two returns. */
  public static double sigma(List<Double> closes, double lambda, double fallback) {
    if (closes.size() < 3) {
      return fallback;
    }
    double variance = Double.NaN;
    for (int i = 1; i < closes.size(); i++) {
      double r = Math.log(closes.get(i) / closes.get(i - 1));
      variance = Double.isNaN(variance) ? r * r : lambda * variance + (1 - lambda) * r * r;
    }
    return Math.sqrt(variance);
  }
}

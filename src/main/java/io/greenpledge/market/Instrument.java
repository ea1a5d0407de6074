package io.greenpledge.market;

import java.time.Duration;

/**
 * A tradable environmental right. Prices are CNY per {@code unit}.
 *
 * @param dailyLimit the exchange's daily price limit as a fraction of the previous close
 * @param staleAfter trading time without a trade after which the market is stale
 * @param expiring whether pledged rights carry an expiry (their value decays with the term)
 * @param defaultSigma daily σ assumed until the journal holds enough closes to estimate one
 * @param simulation how the simulator moves it (calibrated to the national ETS where known)
 */
public record Instrument(
    String id,
    String name,
    String nameEn,
    Category category,
    String unit,
    String currency,
    LiquidityTier tier,
    double referencePrice,
    double dailyLimit,
    double tickSize,
    Duration staleAfter,
    boolean expiring,
    double defaultSigma,
    Simulation simulation) {

  /**
   * Parameters of the simulated market.
   *
   * @param ticksPerSecond mean trade arrival rate while the market is open
   * @param dailyVolatility σ of daily log returns
   * @param medianDailyVolume typical volume of one trading day, in units
   */
  public record Simulation(
      double ticksPerSecond, double dailyVolatility, double medianDailyVolume) {}
}

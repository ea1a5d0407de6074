package io.greenpledge.feed;

import io.greenpledge.market.Instrument;
import java.util.SplittableRandom;

/**
 * The simulated price of one instrument: log-normal diffusion with rare jumps, kept inside the
 * daily limit band and on the tick grid. Per-trade σ is the daily σ spread over the day's expected
 * trades, so daily returns have the calibrated volatility whatever the trade rate. Deterministic
 * per seed.
 */
final class PriceProcess {

  /**
   * About one jump a month (news, compliance deadlines), three daily σ wide. The diffusion carries
   * the rest of the variance, so the total daily σ stays the calibrated one.
   */
  private static final double JUMPS_PER_DAY = 0.05;

  private static final double JUMP_WIDTH_IN_DAILY_SIGMA = 3.0;
  private static final double DIFFUSION_SHARE =
      Math.sqrt(1 - JUMPS_PER_DAY * JUMP_WIDTH_IN_DAILY_SIGMA * JUMP_WIDTH_IN_DAILY_SIGMA);

  /** Stay a little inside the band so rounding never lands a simulated trade outside it. */
  private static final double BAND_USE = 0.98;

  private final Instrument instrument;
  private final SplittableRandom random;
  private final double tickSigma;
  private final double jumpProbability;
  private final double meanQuantity;
  private double price;

  PriceProcess(Instrument instrument, long seed, double startPrice, double tradesPerDay) {
    this.instrument = instrument;
    this.random = new SplittableRandom(seed);
    double sim = instrument.simulation().dailyVolatility();
    this.tickSigma = sim * DIFFUSION_SHARE / Math.sqrt(Math.max(1, tradesPerDay));
    this.jumpProbability = Math.min(1, JUMPS_PER_DAY / Math.max(1, tradesPerDay));
    this.meanQuantity = instrument.simulation().medianDailyVolume() / Math.max(1, tradesPerDay);
    this.price = startPrice;
  }

  /** The next trade price given the previous close the limit band is measured from. */
  double nextPrice(double previousClose) {
    double logReturn = tickSigma * gaussian();
    if (random.nextDouble() < jumpProbability) {
      logReturn +=
          instrument.simulation().dailyVolatility() * JUMP_WIDTH_IN_DAILY_SIGMA * gaussian();
    }
    double band = instrument.dailyLimit() * BAND_USE;
    double candidate = price * Math.exp(logReturn);
    double clamped =
        Math.max(previousClose * (1 - band), Math.min(previousClose * (1 + band), candidate));
    price = roundToTick(clamped);
    return price;
  }

  /** Trade sizes are log-normal around the mean; block trades make the tail heavy. */
  double nextQuantity() {
    double quantity = meanQuantity * Math.exp(0.8 * gaussian() - 0.32);
    return Math.max(1, Math.round(quantity));
  }

  /** Number of trades in an interval with the given expected count (Poisson). */
  int arrivals(double expected) {
    double limit = Math.exp(-expected);
    double product = random.nextDouble();
    int count = 0;
    while (product > limit && count < 10_000) {
      product *= random.nextDouble();
      count++;
    }
    return count;
  }

  double gaussian() {
    // Box–Muller from the seeded stream keeps the whole path reproducible.
    double u1 = 1.0 - random.nextDouble();
    double u2 = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  double uniform() {
    return random.nextDouble();
  }

  double price() {
    return price;
  }

  void resetPrice(double price) {
    this.price = price;
  }

  private double roundToTick(double value) {
    double ticks = Math.round(value / instrument.tickSize());
    return Math.max(instrument.tickSize(), ticks * instrument.tickSize());
  }
}

package io.greenpledge.market;

/**
 * How easily a pledged right can be sold, which sets the liquidation horizon and haircut floor.
 * Horizons and floors are the design's; the add-ons are ours (a thinner market carries model risk
 * that σ from sparse trades understates).
 */
public enum LiquidityTier {
  T1(5, 0.30, 0.00),
  T2(10, 0.40, 0.02),
  T3(20, 0.50, 0.05);

  private final int horizonDays;
  private final double haircutFloor;
  private final double haircutAddOn;

  LiquidityTier(int horizonDays, double haircutFloor, double haircutAddOn) {
    this.horizonDays = horizonDays;
    this.haircutFloor = haircutFloor;
    this.haircutAddOn = haircutAddOn;
  }

  public int horizonDays() {
    return horizonDays;
  }

  public double haircutFloor() {
    return haircutFloor;
  }

  public double haircutAddOn() {
    return haircutAddOn;
  }
}

package io.greenpledge.market;

/** Which price valuation uses for an instrument. */
public enum MarkBasis {
  /** min(last trade, 20-trading-day VWAP): a spike up does not inflate collateral. */
  CONSERVATIVE,
  LAST,
  VWAP20,
  /** Not selectable: the fallback when the market has no trade inside its staleness window. */
  REFERENCE;

  public boolean selectable() {
    return this != REFERENCE;
  }
}

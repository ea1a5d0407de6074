package io.greenpledge.calls;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a margin call stands. A call opens when a pledge enters MARGIN_CALL or DISPOSAL; it is
 * worked (acknowledged, disputed, partly met) until it is met, cured by the market, or resolved; it
 * falls OVERDUE when its due time passes (ESCALATED for a pledge in DISPOSAL).
 */
public enum CallState {
  OPEN,
  ACKNOWLEDGED,
  DISPUTED,
  PARTIALLY_MET,
  OVERDUE,
  ESCALATED,
  MET,
  CURED,
  RESOLVED;

  /** States in which the call still asks something of the borrower: one such call per pledge. */
  public static final Set<CallState> LIVE =
      EnumSet.of(OPEN, ACKNOWLEDGED, DISPUTED, PARTIALLY_MET, OVERDUE, ESCALATED);

  /** States the due time can overtake. */
  public static final Set<CallState> RUNNING =
      EnumSet.of(OPEN, ACKNOWLEDGED, DISPUTED, PARTIALLY_MET);

  public boolean live() {
    return LIVE.contains(this);
  }
}

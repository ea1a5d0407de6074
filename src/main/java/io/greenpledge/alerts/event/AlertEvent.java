package io.greenpledge.alerts.event;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * The closed set of things an alert can say. Figures are exact decimals as served (CNY at 0.01,
 * ratios at 1e-6, quantities at 1e-4), so a stored alert reads back equal to the one emitted.
 */
public sealed interface AlertEvent {

  Alert.Kind kind();

  /**
   * A pledge's coverage status changed.
   *
   * @param from a {@code CoverageStatus} name
   * @param worsened true when the new status is further from HEALTHY
   * @param coverage null when the loan has nothing outstanding
   */
  record StatusChanged(
      String from,
      String to,
      boolean worsened,
      String loanId,
      String borrower,
      BigDecimal coverage,
      BigDecimal ltv,
      BigDecimal marketValue,
      BigDecimal outstanding,
      BigDecimal cashMargin,
      BigDecimal topUpAmount,
      BigDecimal topUpQuantity,
      BigDecimal mark,
      String basis,
      Cause cause)
      implements AlertEvent {
    @Override
    public Alert.Kind kind() {
      return Alert.Kind.STATUS_CHANGE;
    }
  }

  /** An instrument the bank holds has had no trade within its window: marks fall back. */
  record WentStale(Instant lastTradeAt, BigDecimal mark, String basis, int pledgesAffected)
      implements AlertEvent {
    @Override
    public Alert.Kind kind() {
      return Alert.Kind.STALE;
    }
  }

  /** A stale instrument traded again. */
  record TradedAgain(Instant lastTradeAt, BigDecimal mark, String basis, int pledgesAffected)
      implements AlertEvent {
    @Override
    public Alert.Kind kind() {
      return Alert.Kind.FRESH;
    }
  }

  /** The pledge's certificate is also in another live pledge; the other bank is not named. */
  record PledgedTwice(String certificate, String loanId, boolean sameBank) implements AlertEvent {
    @Override
    public Alert.Kind kind() {
      return Alert.Kind.DOUBLE_PLEDGE;
    }
  }

  /**
   * A concentration figure of the bank went over its limit (or back under it).
   *
   * @param limit maxInstrumentShare, maxBorrowerShare, maxGroupShare or maxLiquidationDays
   * @param key the instrument, borrower code or group
   * @param figure the share or days; null for days when the instrument has no volume
   * @param pledgeIds the pledges behind the figure (empty once cleared)
   */
  record ConcentrationChanged(
      String limit,
      String key,
      BigDecimal figure,
      BigDecimal max,
      boolean breached,
      java.util.List<String> pledgeIds)
      implements AlertEvent {
    @Override
    public Alert.Kind kind() {
      return Alert.Kind.CONCENTRATION;
    }
  }

  /** A margin call opened or moved (met, cured, overdue, escalated, resolved…). */
  record CallChanged(
      long callId, String from, String to, BigDecimal amountDue, Instant dueAt, Cause cause)
      implements AlertEvent {
    @Override
    public Alert.Kind kind() {
      return Alert.Kind.MARGIN_CALL;
    }
  }
}

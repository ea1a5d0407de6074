package io.greenpledge.valuation;

import io.greenpledge.market.MarkBasis;
import java.time.Instant;
import java.time.LocalDate;

/**
 * A right pledged as collateral for a loan, as the bank registered it.
 *
 * @param borrower the borrower's registered name
 * @param borrowerCode its unified social credit code (GB 32100); null on pledges registered before
 *     codes were required
 * @param borrowerGroup the parent company or group it belongs to, if any (null)
 * @param quantity units of the right (tCO2e, t/yr, tce)
 * @param certificate the registry certificate number of the pledged right
 * @param rightStart start of the right's term, for rights that expire (else null)
 * @param rightExpiry expiry of the right (else null)
 * @param outstandingCents loan principal outstanding, CNY in fen, so sums never drift
 * @param cashMarginCents cash margin the borrower posted on the pledge (保证金), CNY in fen; it counts
 *     at 100 % beside the right's market value
 * @param version bumped on every change, for optimistic updates
 */
public record Pledge(
    String id,
    String bank,
    String borrower,
    String borrowerCode,
    String borrowerGroup,
    String loanId,
    String instrument,
    double quantity,
    String certificate,
    LocalDate rightStart,
    LocalDate rightExpiry,
    long outstandingCents,
    long cashMarginCents,
    Lines lines,
    MarkBasis basis,
    State state,
    long version,
    Instant createdAt,
    Instant updatedAt) {

  /** A released pledge no longer secures anything and is no longer valued. */
  public enum State {
    ACTIVE,
    RELEASED
  }

  public double outstanding() {
    return outstandingCents / 100.0;
  }

  public boolean active() {
    return state == State.ACTIVE;
  }
}

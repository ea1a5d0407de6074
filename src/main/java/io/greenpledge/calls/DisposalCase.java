package io.greenpledge.calls;

import java.time.Instant;

/**
 * The disposal case of a pledge whose DISPOSAL margin call went past its due time: open until the
 * bank decides to sell the right (DISPOSED) or to forbear until a date (FORBORNE, open again
 * after).
 *
 * @param decision what was decided, as stored (the sale and the recovery, or the forbearance)
 * @param forbearUntil while FORBORNE, when the forbearance ends
 */
public record DisposalCase(
    long id,
    String bank,
    String pledgeId,
    long callId,
    String instrument,
    State state,
    Instant openedAt,
    Instant updatedAt,
    String decision,
    String decidedBy,
    Instant forbearUntil,
    long version) {

  /** Where a case stands. */
  public enum State {
    OPEN,
    DISPOSED,
    FORBORNE
  }

  /**
   * A decision can still be taken: the case is open or forborne (a bank may sell before the end).
   */
  public boolean decidable() {
    return state != State.DISPOSED;
  }
}

package io.greenpledge.calls;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A margin call on one pledge.
 *
 * @param openedIn the pledge's status when the call opened (MARGIN_CALL or DISPOSAL)
 * @param amountDue the top-up (CNY) when the call opened or last changed state
 * @param quantityDue the same in units of the instrument, rounded up
 * @param dueAt the close of the N-th trading day after opening
 */
public record MarginCall(
    long id,
    String bank,
    String pledgeId,
    String instrument,
    CallState state,
    String openedIn,
    BigDecimal amountDue,
    BigDecimal quantityDue,
    Instant openedAt,
    Instant dueAt,
    Instant updatedAt,
    long version) {}

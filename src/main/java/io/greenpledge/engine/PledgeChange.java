package io.greenpledge.engine;

import io.greenpledge.valuation.Pledge;
import io.greenpledge.valuation.Valuation;
import java.util.List;
import java.util.Optional;

/**
 * A pledge created, changed or released through the API, for the risk engine to (re)value.
 *
 * @param conflicts other live pledges of the same certificate (for double-pledge alerts)
 * @param actor the token subject that changed it, named as the cause of a status change
 * @param requestId the request that changed it
 */
public record PledgeChange(
    Pledge pledge, Reason reason, List<Pledge> conflicts, String actor, String requestId) {

  /** Why the pledge changed; recorded in the valuation history. */
  public enum Reason {
    CREATED,
    UPDATED,
    RELEASED
  }

  /** The valuation after the change; empty for a released pledge. */
  public record Result(Optional<Valuation> valuation) {}
}

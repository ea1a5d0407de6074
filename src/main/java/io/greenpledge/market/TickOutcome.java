package io.greenpledge.market;

import java.util.Optional;

/** What happened to one tick: accepted, or rejected with a reason. */
public record TickOutcome(Tick tick, Optional<RejectReason> rejection) {

  public static TickOutcome accepted(Tick tick) {
    return new TickOutcome(tick, Optional.empty());
  }

  public static TickOutcome rejected(Tick tick, RejectReason reason) {
    return new TickOutcome(tick, Optional.of(reason));
  }

  public boolean isAccepted() {
    return rejection.isEmpty();
  }
}

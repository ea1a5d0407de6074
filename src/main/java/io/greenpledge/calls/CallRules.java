package io.greenpledge.calls;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The moves a desk may make on a call, as a pure function of its state: a refused move says why.
 * The moves the market and the book make (met, partly met, cured, overdue, escalated) are the risk
 * engine's, from a pledge's status changes and the clock.
 */
public final class CallRules {

  private static final Set<CallState> DISPUTABLE =
      EnumSet.of(
          CallState.OPEN, CallState.ACKNOWLEDGED, CallState.PARTIALLY_MET, CallState.OVERDUE);

  private CallRules() {}

  /** The state a desk's action leads to, or why it may not be taken. */
  public static Result desk(CallState from, String action) {
    return switch (action) {
      case "acknowledge" ->
          from == CallState.OPEN
              ? Result.to(CallState.ACKNOWLEDGED)
              : Result.refused("only an OPEN call can be acknowledged; this one is " + from);
      case "dispute" ->
          DISPUTABLE.contains(from)
              ? Result.to(CallState.DISPUTED)
              : Result.refused("a call that is " + from + " cannot be disputed");
      case "resolve" ->
          from == CallState.RESOLVED
              ? Result.refused("the call is resolved already")
              : Result.to(CallState.RESOLVED);
      default -> Result.refused("actions are acknowledge, dispute and resolve");
    };
  }

  /** A move's outcome. */
  public record Result(Optional<CallState> to, String refusal) {
    static Result to(CallState state) {
      return new Result(Optional.of(state), null);
    }

    static Result refused(String why) {
      return new Result(Optional.empty(), why);
    }
  }
}

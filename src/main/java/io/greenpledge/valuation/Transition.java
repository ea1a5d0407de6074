package io.greenpledge.valuation;

/** A pledge's status changed between two valuations (either direction). */
public record Transition(
    Pledge pledge, CoverageStatus from, CoverageStatus to, Valuation valuation) {

  public boolean worsened() {
    return to.worseThan(from);
  }
}

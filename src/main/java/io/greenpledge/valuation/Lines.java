package io.greenpledge.valuation;

/**
 * A loan's contract lines, as coverage ratios (market value / outstanding). Defaults from the design:
 * initial coverage 1/0.6 (a 60 % loan-to-value at origination), warning 1.40, margin call 1.30,
 * disposal 1.20.
 */
public record Lines(double initialCoverage, double warning, double marginCall, double disposal) {

  public static final Lines DEFAULT = new Lines(1 / 0.6, 1.40, 1.30, 1.20);

  public Lines {
    if (!(initialCoverage >= warning && warning > marginCall && marginCall > disposal && disposal > 0)) {
      throw new IllegalArgumentException(
          "lines must be ordered: initialCoverage ≥ warning > marginCall > disposal > 0, got "
              + initialCoverage + ", " + warning + ", " + marginCall + ", " + disposal);
    }
    if (Double.isInfinite(initialCoverage)) {
      throw new IllegalArgumentException("initialCoverage must be finite");
    }
  }
}

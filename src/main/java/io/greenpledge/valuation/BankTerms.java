package io.greenpledge.valuation;

/**
 * What a bank adds to the model's haircut of one pledge: its own floor for the instrument (its
 * eligibility schedule) and the concentration add-on while the pledge is in a bucket over one of
 * its concentration limits. In millionths.
 *
 * <pre>
 * H = min(0.95, max(H_model, floor) + addOn)
 * </pre>
 */
public record BankTerms(long floorMicro, long addOnMicro) {

  public static final BankTerms NONE = new BankTerms(0, 0);

  public long apply(long modelMicro) {
    return apply(floorMicro, addOnMicro, modelMicro);
  }

  /** {@link #apply(long)} on the terms' figures, as the valuer keeps them. */
  static long apply(long floorMicro, long addOnMicro, long modelMicro) {
    if (floorMicro == 0 && addOnMicro == 0) {
      return modelMicro;
    }
    return Math.min(Haircut.MAX_HAIRCUT_MICRO, Math.max(modelMicro, floorMicro) + addOnMicro);
  }
}

package io.greenpledge.limits;

/**
 * The unified social credit code (统一社会信用代码) of a borrower, GB 32100-2015: 18 characters of {@code
 * 0-9 A-H J-N P-R T U W-Y} (no I, O, S, V, Z): the registering authority (1), the kind of entity
 * (1), the administrative division (6 digits), the organisation code (9), and a check character
 * computed over the first 17 with weights 3^i mod 31.
 */
public final class CreditCode {

  static final String CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  private static final int[] WEIGHTS = {
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28
  };

  private CreditCode() {}

  /**
   * The code itself if it is well formed, upper-cased; otherwise an {@link
   * IllegalArgumentException} saying what is wrong and where.
   */
  public static String check(String code) {
    if (code == null || code.length() != 18) {
      throw new IllegalArgumentException(
          "borrowerCode must be the 18-character unified social credit code (GB 32100), got "
              + (code == null ? "none" : code.length() + " characters"));
    }
    String upper = code.toUpperCase(java.util.Locale.ROOT);
    for (int i = 0; i < 18; i++) {
      if (CHARSET.indexOf(upper.charAt(i)) < 0) {
        throw new IllegalArgumentException(
            "borrowerCode: '"
                + code.charAt(i)
                + "' at position "
                + (i + 1)
                + " is not in the GB 32100 character set (0-9 and A-Y without I, O, S, V, Z)");
      }
    }
    for (int i = 2; i < 8; i++) {
      if (!Character.isDigit(upper.charAt(i))) {
        throw new IllegalArgumentException(
            "borrowerCode: positions 3-8 are the administrative division code, digits only");
      }
    }
    char expected = checkCharacter(upper.substring(0, 17));
    if (upper.charAt(17) != expected) {
      throw new IllegalArgumentException(
          "borrowerCode: wrong check character '"
              + upper.charAt(17)
              + "', a code starting "
              + upper.substring(0, 17)
              + " ends in '"
              + expected
              + "' (GB 32100)");
    }
    return upper;
  }

  /** The 18th character for the first 17: 31 − (Σ value × weight mod 31), 31 read as 0. */
  public static char checkCharacter(String first17) {
    int sum = 0;
    for (int i = 0; i < 17; i++) {
      sum += CHARSET.indexOf(first17.charAt(i)) * WEIGHTS[i];
    }
    int value = 31 - sum % 31;
    return CHARSET.charAt(value == 31 ? 0 : value);
  }
}

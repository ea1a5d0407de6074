package io.greenpledge.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CreditCodeTest {

  @Test
  void publishedCodesAreValid() {
    // The standard's own example, and a company's registered code.
    assertEquals("91350100M000100Y43", CreditCode.check("91350100M000100Y43"));
    assertEquals("91110000600037341L", CreditCode.check("91110000600037341L"));
    // lower case is read as upper case
    assertEquals("91110000600037341L", CreditCode.check("91110000600037341l"));
  }

  @Test
  void theCheckCharacterIsComputedByHand() {
    // 9·1 + 1·3 + 3·9 + 5·27 + 0·19 + 1·26 + 0·16 + 0·17 + M(21)·20 + 0·29 + 0·25 + 0·13 + 1·8
    // + 0·24 + 0·10 + Y(30)·30 + 4·28 = 1,640; 1,640 mod 31 = 28; 31 − 28 = 3 → '3'
    String first17 = "91350100M000100Y4";
    int sum = 0;
    int[] weights = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
    for (int i = 0; i < 17; i++) {
      sum += CreditCode.CHARSET.indexOf(first17.charAt(i)) * weights[i];
    }
    assertEquals(1_640, sum);
    assertEquals(28, sum % 31);
    assertEquals('3', CreditCode.checkCharacter(first17));
  }

  @Test
  void aWrongCheckCharacterIsRefusedWithTheRightOne() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> CreditCode.check("91350100M000100Y44"));
    assertTrue(e.getMessage().contains("wrong check character '4'"), e.getMessage());
    assertTrue(e.getMessage().contains("ends in '3'"), e.getMessage());
  }

  @Test
  void charactersOutsideTheSetAndWrongLengthsAreRefused() {
    // I, O, S, V and Z are not used (they read like 1, 0, 5, U and 2)
    for (String bad :
        new String[] {"91350100M00010OY43", "9135010OM000100Y43", "91350100S000100Y43"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> CreditCode.check(bad));
      assertTrue(e.getMessage().contains("is not in the GB 32100 character set"), e.getMessage());
    }
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> CreditCode.check("9135010"))
            .getMessage()
            .contains("got 7 characters"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> CreditCode.check("913A0100M000100Y43"))
            .getMessage()
            .contains("administrative division"));
  }
}

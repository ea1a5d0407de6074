package io.greenpledge.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A caller's request budget key: subject, bank and its roles' claims in order, for any roles. */
class CallerTest {

  @Test
  void theBudgetKeyNamesSubjectBankAndEverySetOfRolesInClaimOrder() {
    Role[] all = Role.values();
    for (int mask = 0; mask < 1 << all.length; mask++) {
      Set<Role> roles = new HashSet<>();
      List<String> claims = new ArrayList<>();
      for (int i = 0; i < all.length; i++) {
        if ((mask & 1 << i) != 0) {
          roles.add(all[i]);
          claims.add(all[i].claim());
        }
      }
      claims.sort(null);
      String expected = "ana@BANK-A#" + String.join(",", claims);
      assertEquals(expected, caller(roles).limitKey());
      assertEquals(expected, caller(Set.copyOf(roles)).limitKey(), "the same for any set type");
    }
  }

  @Test
  void aSetOfRolesChangedAfterItsKeyWasMadeGetsItsOwnKey() {
    Set<Role> roles = new HashSet<>(Set.of(Role.VIEWER));
    assertEquals("ana@BANK-A#viewer", caller(roles).limitKey());
    roles.add(Role.RISK_ADMIN);
    assertEquals("ana@BANK-A#risk-admin,viewer", caller(roles).limitKey());
    assertEquals("ana@BANK-A#viewer", caller(Set.of(Role.VIEWER)).limitKey());
    assertNotEquals(
        caller(Set.of(Role.VIEWER)).limitKey(),
        new Caller("ana", Optional.empty(), Set.of(Role.VIEWER), Instant.MAX).limitKey(),
        "a bank's budget is not the bankless token's");
  }

  private static Caller caller(Set<Role> roles) {
    return new Caller("ana", Optional.of("BANK-A"), roles, Instant.MAX);
  }
}

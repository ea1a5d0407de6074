package io.greenpledge.api;

import io.greenpledge.auth.Caller;
import io.greenpledge.auth.Role;
import java.util.Optional;

/**
 * What a caller may see: a regulator sees every bank; anyone else only their own bank. Everything
 * bank-specific goes through here so there is one rule, applied the same way on every path.
 */
record Scope(Optional<String> bank) {

  static Scope of(Caller caller) {
    return caller.has(Role.REGULATOR) ? new Scope(Optional.empty()) : new Scope(caller.bank());
  }

  boolean everyBank() {
    return bank.isEmpty();
  }

  boolean sees(String pledgeBank) {
    return bank.map(pledgeBank::equals).orElse(true);
  }
}

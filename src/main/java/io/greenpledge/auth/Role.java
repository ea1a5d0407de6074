package io.greenpledge.auth;

import java.util.Locale;
import java.util.Optional;

/** Roles carried in the token's {@code roles} claim. */
public enum Role {
  VIEWER("viewer", true),
  RISK_ADMIN("risk-admin", true),
  REGULATOR("regulator", false),
  FEED("feed", false),
  /** Loads market history (imports of daily bars); not bound to a bank: prices are everyone's. */
  MARKET_ADMIN("market-admin", false);

  private final String claim;
  private final boolean bankBound;

  Role(String claim, boolean bankBound) {
    this.claim = claim;
    this.bankBound = bankBound;
  }

  public String claim() {
    return claim;
  }

  /** A bank-bound role only makes sense with a {@code bank} claim in the same token. */
  public boolean bankBound() {
    return bankBound;
  }

  public static Optional<Role> fromClaim(String claim) {
    for (Role role : values()) {
      if (role.claim.equals(claim.toLowerCase(Locale.ROOT))) {
        return Optional.of(role);
      }
    }
    return Optional.empty();
  }
}

package io.greenpledge.market;

/** Why a tick never reaches pricing; each reason is counted and returned to the sender. */
public enum RejectReason {
  UNKNOWN_INSTRUMENT("instrument is not in the catalog"),
  INVALID_PRICE(
      "price must be a finite number from 0.0001 to 1,000,000 (the journal keeps 4 decimals)"),
  INVALID_QUANTITY(
      "quantity must be a finite number from 0.0001 to 1e12 (the journal keeps 4 decimals)"),
  OUTSIDE_LIMIT_BAND("price moves beyond the instrument's daily limit from the previous close"),
  FUTURE_TIMESTAMP("timestamp is further in the future than the allowed clock skew"),
  LATE_TIMESTAMP("timestamp falls on a trading day the instrument has already closed"),
  DUPLICATE("this (source, seq) is already stored"),
  OUT_OF_ORDER(
      "seq is lower than the last stored seq of this source and was never stored (a skipped seq)"),
  STORE_REFUSED("the journal refused this tick; it was not stored and moved no price");

  private final String detail;

  RejectReason(String detail) {
    this.detail = detail;
  }

  public String detail() {
    return detail;
  }
}

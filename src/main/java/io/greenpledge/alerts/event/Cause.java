package io.greenpledge.alerts.event;

/**
 * Why a pledge's status changed: the market moved (a tick, named by its source and seq) or somebody
 * changed the book (the token's subject and the request's id), so a green event on the wall is
 * never mistaken for the market when an admin edited the lines.
 *
 * @param kind {@code MARKET}, {@code BOOK}, {@code DESK} (a margin-call move by a risk desk) or
 *     {@code CLOCK} (a due time passed)
 */
public record Cause(String kind, String tickSource, Long tickSeq, String actor, String requestId) {

  public static final String MARKET = "MARKET";
  public static final String BOOK = "BOOK";
  public static final String DESK = "DESK";
  public static final String CLOCK = "CLOCK";

  public static Cause market(String tickSource, long tickSeq) {
    return new Cause(MARKET, tickSource, tickSeq, null, null);
  }

  public static Cause book(String actor, String requestId) {
    return new Cause(BOOK, null, null, actor, requestId);
  }

  public static Cause desk(String actor, String requestId) {
    return new Cause(DESK, null, null, actor, requestId);
  }

  public static Cause clock() {
    return new Cause(CLOCK, null, null, null, null);
  }
}

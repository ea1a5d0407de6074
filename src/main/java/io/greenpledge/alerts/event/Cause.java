package io.greenpledge.alerts.event;

/**
 * Why a pledge's status changed: the market moved (a tick, named by its source and seq) or somebody
 * changed the book (the token's subject and the request's id), so a green event on the wall is
 * never mistaken for the market when an admin edited the lines.
 *
 * @param kind {@code MARKET} or {@code BOOK}
 */
public record Cause(String kind, String tickSource, Long tickSeq, String actor, String requestId) {

  public static final String MARKET = "MARKET";
  public static final String BOOK = "BOOK";

  public static Cause market(String tickSource, long tickSeq) {
    return new Cause(MARKET, tickSource, tickSeq, null, null);
  }

  public static Cause book(String actor, String requestId) {
    return new Cause(BOOK, null, null, actor, requestId);
  }
}

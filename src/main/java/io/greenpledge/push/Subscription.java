package io.greenpledge.push;

import java.util.Set;
import java.util.TreeSet;

/** The channels one socket subscribes to. Mutable, confined to the socket's event loop. */
final class Subscription {

  boolean allPrices;
  final Set<String> instruments = new TreeSet<>();
  boolean valuations;
  boolean alerts;

  boolean wantsPrice(String instrument) {
    return allPrices || instruments.contains(instrument);
  }

  /** Sockets with the same signature (and scope) receive the same shared window content. */
  String signature() {
    return (allPrices ? "P*" : "P" + instruments) + (valuations ? "|V" : "");
  }
}

package io.greenpledge.push;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one desk asked for, and whose data it may see. Immutable: a desk replaces its subscription
 * between windows and the hub always reads a whole one. {@code instruments} are those subscribed
 * one by one ({@code prices:ID}); {@code bank} is whose valuations and alerts the desk sees, {@code
 * "*"} for a regulator (every bank).
 */
final class Subscription {

  static final String EVERY_BANK = "*";

  private final String bank;
  private final boolean allPrices;
  private final Set<String> instruments;
  private final boolean valuations;
  private final boolean alerts;
  private final boolean calls;
  private final boolean requests;

  /** Computed once: the hub asks every desk for it in every window. */
  private final String shareKey;

  Subscription(
      String bank, boolean allPrices, Set<String> instruments, boolean valuations, boolean alerts) {
    this(bank, allPrices, instruments, valuations, alerts, false, false);
  }

  private Subscription(
      String bank,
      boolean allPrices,
      Set<String> instruments,
      boolean valuations,
      boolean alerts,
      boolean calls,
      boolean requests) {
    this.bank = bank;
    this.allPrices = allPrices;
    this.instruments = Collections.unmodifiableSortedSet(new TreeSet<>(instruments));
    this.valuations = valuations;
    this.alerts = alerts;
    this.calls = calls;
    this.requests = requests;
    this.shareKey =
        bank + "|" + (allPrices ? "P*" : "P" + this.instruments) + (valuations ? "|V" : "");
  }

  String bank() {
    return bank;
  }

  boolean allPrices() {
    return allPrices;
  }

  Set<String> instruments() {
    return instruments;
  }

  boolean valuations() {
    return valuations;
  }

  boolean alerts() {
    return alerts;
  }

  /** The {@code calls} channel: the bank's margin calls as they move. */
  boolean calls() {
    return calls;
  }

  /** The {@code change-requests} channel: the bank's four-eyes requests as they come and go. */
  boolean requests() {
    return requests;
  }

  static Subscription none(String bank) {
    return new Subscription(bank, false, Set.of(), false, false);
  }

  boolean wantsPrice(String instrument) {
    return allPrices || instruments.contains(instrument);
  }

  boolean sees(String pledgeBank) {
    return EVERY_BANK.equals(bank) || bank.equals(pledgeBank);
  }

  Subscription withBank(String newBank) {
    return new Subscription(newBank, allPrices, instruments, valuations, alerts, calls, requests);
  }

  Subscription withAllPrices(boolean on) {
    return new Subscription(bank, on, instruments, valuations, alerts, calls, requests);
  }

  Subscription withInstrument(String instrument, boolean on) {
    Set<String> changed = new TreeSet<>(instruments);
    if (on) {
      changed.add(instrument);
    } else {
      changed.remove(instrument);
    }
    return new Subscription(bank, allPrices, changed, valuations, alerts, calls, requests);
  }

  Subscription withValuations(boolean on) {
    return new Subscription(bank, allPrices, instruments, on, alerts, calls, requests);
  }

  Subscription withAlerts(boolean on) {
    return new Subscription(bank, allPrices, instruments, valuations, on, calls, requests);
  }

  Subscription withCalls(boolean on) {
    return new Subscription(bank, allPrices, instruments, valuations, alerts, on, requests);
  }

  Subscription withRequests(boolean on) {
    return new Subscription(bank, allPrices, instruments, valuations, alerts, calls, on);
  }

  /**
   * Desks with the same key receive the same window items (built and encoded once per window).
   * Alerts, calls and change requests are not part of it: they are queued per desk.
   */
  String shareKey() {
    return shareKey;
  }
}

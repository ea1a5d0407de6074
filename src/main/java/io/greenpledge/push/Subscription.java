package io.greenpledge.push;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one desk asked for, and whose data it may see. Immutable: a desk replaces its subscription
 * between windows and the hub always reads a whole one. {@code instruments} are those subscribed
 * one by one ({@code prices:ID}); {@code bank} is whose valuations and alerts the desk sees, {@code
 * "*"} for a regulator (every bank). The price and valuation channels fall into {@link Lane}s, one
 * per distinct set of {@link StreamOptions}; a desk that asked for no options has one lane.
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

  /** Options of the price and valuation channels that asked for some; the rest take the default. */
  private final Map<String, StreamOptions> options;

  /**
   * When each price or valuation channel was last subscribed (a counter): a lane whose channels
   * were subscribed again took a new snapshot, so its next delta frame must be whole.
   */
  private final Map<String, Long> stamps;

  private final long clock;

  /** Computed once: the hub reads them for every desk in every window. */
  private final List<Lane> lanes;

  Subscription(
      String bank, boolean allPrices, Set<String> instruments, boolean valuations, boolean alerts) {
    this(bank, allPrices, instruments, valuations, alerts, false, false, Map.of(), Map.of(), 0);
  }

  private Subscription(
      String bank,
      boolean allPrices,
      Set<String> instruments,
      boolean valuations,
      boolean alerts,
      boolean calls,
      boolean requests,
      Map<String, StreamOptions> options,
      Map<String, Long> stamps,
      long clock) {
    this.bank = bank;
    this.allPrices = allPrices;
    this.instruments = Collections.unmodifiableSortedSet(new TreeSet<>(instruments));
    this.valuations = valuations;
    this.alerts = alerts;
    this.calls = calls;
    this.requests = requests;
    this.options = options;
    this.stamps = stamps;
    this.clock = clock;
    this.lanes = buildLanes();
  }

  /**
   * The price and valuation channels of one set of options: their items go out together, at the
   * options' rate and in their form. A price goes in the lane of its {@code prices:ID} channel if
   * the desk subscribed to one, otherwise in the lane of {@code prices}.
   *
   * @param shareKey desks with the same key receive the same items of a window (built and encoded
   *     once)
   * @param stamp changes when a channel of the lane is subscribed again (a new snapshot)
   * @param optionsKey the options' signature, computed once: the lane's place in the hub's state
   *     and its items' form
   */
  record Lane(
      StreamOptions options,
      String optionsKey,
      boolean allPrices,
      Set<String> instruments,
      Set<String> elsewhere,
      boolean valuations,
      String bank,
      String shareKey,
      long stamp) {

    boolean wantsPrice(String instrument) {
      return instruments.contains(instrument) || (allPrices && !elsewhere.contains(instrument));
    }

    boolean sees(String pledgeBank) {
      return EVERY_BANK.equals(bank) || bank.equals(pledgeBank);
    }
  }

  private List<Lane> buildLanes() {
    Map<StreamOptions, List<String>> byOptions = new LinkedHashMap<>();
    if (allPrices) {
      byOptions.computeIfAbsent(optionsOf("prices"), o -> new ArrayList<>()).add("prices");
    }
    for (String id : instruments) {
      byOptions
          .computeIfAbsent(optionsOf("prices:" + id), o -> new ArrayList<>())
          .add("prices:" + id);
    }
    if (valuations) {
      byOptions.computeIfAbsent(optionsOf("valuations"), o -> new ArrayList<>()).add("valuations");
    }
    List<Lane> built = new ArrayList<>(byOptions.size());
    byOptions.forEach(
        (laneOptions, channels) -> {
          boolean lanePrices = channels.contains("prices");
          Set<String> own = new TreeSet<>();
          long stamp = 0;
          for (String channel : channels) {
            if (channel.startsWith("prices:")) {
              own.add(channel.substring("prices:".length()));
            }
            stamp = Math.max(stamp, stamps.getOrDefault(channel, 0L));
          }
          Set<String> elsewhere = new TreeSet<>(lanePrices ? instruments : Set.of());
          elsewhere.removeAll(own);
          boolean laneValuations = channels.contains("valuations");
          String shareKey =
              bank
                  + "|"
                  + (lanePrices ? "P*" + (elsewhere.isEmpty() ? "" : "-" + elsewhere) : "")
                  + (own.isEmpty() ? "" : "P" + own)
                  + (laneValuations ? "|V" : "")
                  + laneOptions.signature();
          built.add(
              new Lane(
                  laneOptions,
                  laneOptions.signature(),
                  lanePrices,
                  Collections.unmodifiableSet(own),
                  Collections.unmodifiableSet(elsewhere),
                  laneValuations,
                  bank,
                  shareKey,
                  stamp));
        });
    return List.copyOf(built);
  }

  private StreamOptions optionsOf(String channel) {
    return options.getOrDefault(channel, StreamOptions.DEFAULT);
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

  /** The price and valuation channels grouped by options; empty when none is subscribed. */
  List<Lane> lanes() {
    return lanes;
  }

  /** The options a price or valuation channel was subscribed with. */
  StreamOptions options(String channel) {
    return optionsOf(channel);
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

  private Subscription with(
      String newBank,
      boolean newAllPrices,
      Set<String> newInstruments,
      boolean newValuations,
      boolean newAlerts,
      boolean newCalls,
      boolean newRequests) {
    return new Subscription(
        newBank,
        newAllPrices,
        newInstruments,
        newValuations,
        newAlerts,
        newCalls,
        newRequests,
        options,
        stamps,
        clock);
  }

  Subscription withBank(String newBank) {
    return with(newBank, allPrices, instruments, valuations, alerts, calls, requests);
  }

  Subscription withAllPrices(boolean on) {
    return with(bank, on, instruments, valuations, alerts, calls, requests);
  }

  Subscription withInstrument(String instrument, boolean on) {
    Set<String> changed = new TreeSet<>(instruments);
    if (on) {
      changed.add(instrument);
    } else {
      changed.remove(instrument);
    }
    return with(bank, allPrices, changed, valuations, alerts, calls, requests);
  }

  Subscription withValuations(boolean on) {
    return with(bank, allPrices, instruments, on, alerts, calls, requests);
  }

  Subscription withAlerts(boolean on) {
    return with(bank, allPrices, instruments, valuations, on, calls, requests);
  }

  Subscription withCalls(boolean on) {
    return with(bank, allPrices, instruments, valuations, alerts, on, requests);
  }

  Subscription withRequests(boolean on) {
    return with(bank, allPrices, instruments, valuations, alerts, calls, on);
  }

  /**
   * A price or valuation channel (just) subscribed, or subscribed again, with these options: it
   * took a snapshot now.
   */
  Subscription withOptions(String channel, StreamOptions channelOptions) {
    Map<String, StreamOptions> changed = new HashMap<>(options);
    if (channelOptions.equals(StreamOptions.DEFAULT)) {
      changed.remove(channel);
    } else {
      changed.put(channel, channelOptions);
    }
    Map<String, Long> restamped = new HashMap<>(stamps);
    restamped.put(channel, clock + 1);
    return new Subscription(
        bank,
        allPrices,
        instruments,
        valuations,
        alerts,
        calls,
        requests,
        Map.copyOf(changed),
        Map.copyOf(restamped),
        clock + 1);
  }

  /**
   * The key of the desk's only lane (the default options' share key), for the tests of a desk with
   * one lane.
   */
  String shareKey() {
    return lanes.isEmpty() ? bank + "|" : lanes.get(0).shareKey();
  }
}

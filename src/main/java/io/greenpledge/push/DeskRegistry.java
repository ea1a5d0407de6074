package io.greenpledge.push;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The desk sockets on this node, shared by every event loop: how many each token subject and each
 * bank holds (the connection limits) and, for presence, who they are, what they subscribed and how
 * far behind they are. A desk takes a place when it authenticates and gives it back when it closes.
 * Synchronised: it is touched once per connect and close, never per frame; a desk's subscriptions
 * and lag are written by its own event loop into its {@link Presence} (volatile) and read here.
 */
public final class DeskRegistry {

  /** The regulator's desks are counted under this bank label. */
  public static final String REGULATOR = "*";

  private final Map<String, Integer> bySubject = new HashMap<>();
  private final Map<String, Integer> byBank = new HashMap<>();
  private final Map<Long, Presence> desks = new LinkedHashMap<>();
  private long nextId;

  /** One desk as presence shows it. */
  public static final class Presence {
    public final String id;
    public final String subject;
    public final String bank;
    public final Instant connectedAt;

    private volatile List<Channel> channels = List.of();

    /** Closes the desk's socket on its own event loop. */
    private volatile java.util.function.Consumer<String> closer = reason -> {};

    private volatile long unwritableMillis;
    private volatile long windowsBehind;
    private volatile int queuedAlerts;
    private volatile long lastFrameAt;

    Presence(String id, String subject, String bank, Instant connectedAt) {
      this.id = id;
      this.subject = subject;
      this.bank = bank;
      this.connectedAt = connectedAt;
    }

    public List<Channel> channels() {
      return channels;
    }

    /** How long its socket has been unwritable (0: it reads in time). */
    public long unwritableMillis() {
      return unwritableMillis;
    }

    /** Windows it has not received because it was unwritable. */
    public long windowsBehind() {
      return windowsBehind;
    }

    public int queuedAlerts() {
      return queuedAlerts;
    }

    /** When it was last sent an update (epoch ms; 0: never). */
    public long lastFrameAt() {
      return lastFrameAt;
    }

    void channels(List<Channel> now) {
      channels = List.copyOf(now);
    }

    void lag(long unwritable, long behind, int alerts) {
      unwritableMillis = unwritable;
      windowsBehind = behind;
      queuedAlerts = alerts;
    }

    void sent(long at) {
      lastFrameAt = at;
    }

    void closer(java.util.function.Consumer<String> close) {
      closer = close;
    }
  }

  /**
   * A subscribed channel with its options.
   *
   * @param maxFrequency null: every window
   * @param fields null: every field
   */
  public record Channel(String name, Double maxFrequency, List<String> fields, boolean delta) {}

  /**
   * Takes a place for both, or takes none and says which limit refuses it.
   *
   * @return the desk's presence, or why it is refused
   */
  synchronized Taken take(String subject, String bank, int maxPerSubject, int maxPerBank) {
    if (bySubject.getOrDefault(subject, 0) >= maxPerSubject) {
      return new Taken(
          null,
          Optional.of(
              "subject "
                  + subject
                  + " holds "
                  + maxPerSubject
                  + " desk sockets already (GP_WS_MAX_PER_SUBJECT)"));
    }
    if (byBank.getOrDefault(bank, 0) >= maxPerBank) {
      return new Taken(
          null,
          Optional.of(
              "bank "
                  + bank
                  + " holds "
                  + maxPerBank
                  + " desk sockets already (GP_WS_MAX_PER_BANK)"));
    }
    bySubject.merge(subject, 1, Integer::sum);
    byBank.merge(bank, 1, Integer::sum);
    long id = ++nextId;
    Presence presence = new Presence("desk-" + id, subject, bank, Instant.now());
    desks.put(id, presence);
    return new Taken(presence, Optional.empty());
  }

  /** A place taken (its presence) or refused (why). */
  record Taken(Presence presence, Optional<String> refused) {}

  synchronized void release(Presence presence) {
    bySubject.computeIfPresent(presence.subject, (k, n) -> n <= 1 ? null : n - 1);
    byBank.computeIfPresent(presence.bank, (k, n) -> n <= 1 ? null : n - 1);
    desks.remove(Long.parseLong(presence.id.substring("desk-".length())));
  }

  /** Closes every desk socket of a token subject on this node (4401, with the reason). */
  public void close(String subject, String reason) {
    List<Presence> found = new ArrayList<>();
    synchronized (this) {
      for (Presence presence : desks.values()) {
        if (presence.subject.equals(subject)) {
          found.add(presence);
        }
      }
    }
    found.forEach(presence -> presence.closer.accept(reason));
  }

  /** The desks of one bank on this node, oldest first. */
  public synchronized List<Presence> ofBank(String bank) {
    List<Presence> found = new ArrayList<>();
    for (Presence presence : desks.values()) {
      if (presence.bank.equals(bank)) {
        found.add(presence);
      }
    }
    return Collections.unmodifiableList(found);
  }

  /** How many desks each bank has on this node ({@link #REGULATOR}: the regulator's). */
  public synchronized Map<String, Integer> countsByBank() {
    return Collections.unmodifiableMap(new TreeMap<>(byBank));
  }
}

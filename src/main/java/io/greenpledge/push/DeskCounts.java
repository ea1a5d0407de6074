package io.greenpledge.push;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The desk sockets each token subject and each bank holds on this node, shared by every event loop:
 * a place is taken when a desk authenticates and given back when it closes. Synchronised: it is
 * touched once per connect and close, never per frame.
 */
public final class DeskCounts {

  private final Map<String, Integer> bySubject = new HashMap<>();
  private final Map<String, Integer> byBank = new HashMap<>();

  /** Takes a place for both, or takes none and says which limit refuses it. */
  synchronized Optional<String> take(
      String subject, String bank, int maxPerSubject, int maxPerBank) {
    if (bySubject.getOrDefault(subject, 0) >= maxPerSubject) {
      return Optional.of(
          "subject "
              + subject
              + " holds "
              + maxPerSubject
              + " desk sockets already (GP_WS_MAX_PER_SUBJECT)");
    }
    if (byBank.getOrDefault(bank, 0) >= maxPerBank) {
      return Optional.of(
          "bank " + bank + " holds " + maxPerBank + " desk sockets already (GP_WS_MAX_PER_BANK)");
    }
    bySubject.merge(subject, 1, Integer::sum);
    byBank.merge(bank, 1, Integer::sum);
    return Optional.empty();
  }

  synchronized void release(String subject, String bank) {
    bySubject.computeIfPresent(subject, (k, n) -> n <= 1 ? null : n - 1);
    byBank.computeIfPresent(bank, (k, n) -> n <= 1 ? null : n - 1);
  }
}

package io.greenpledge.push;

import io.greenpledge.book.ChangeRequestRepository;
import io.greenpledge.book.MarginCallRepository;
import io.greenpledge.wire.CallJson;
import io.greenpledge.wire.ChangeRequestJson;
import io.greenpledge.wire.Frames;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where the {@code calls} and {@code change-requests} channels read their snapshots (a bank's live
 * margin calls, its pending requests) and a call's state after it moved.
 */
final class Workflow {

  static final String CALLS = "calls";
  static final String REQUESTS = "change-requests";

  /** Enough for any bank's live calls or pending requests; more would be a book in crisis. */
  private static final int SNAPSHOT_LIMIT = 1_000;

  private final MarginCallRepository calls;
  private final ChangeRequestRepository requests;

  Workflow(MarginCallRepository calls, ChangeRequestRepository requests) {
    this.calls = calls;
    this.requests = requests;
  }

  /** The channel's current state for {@code bank} (empty: every bank), as encoded items. */
  Future<List<String>> snapshot(String channel, Optional<String> bank) {
    long now = System.currentTimeMillis();
    if (channel.equals(CALLS)) {
      return calls
          .list(bank, Optional.empty(), SNAPSHOT_LIMIT)
          .map(
              found ->
                  found.stream()
                      .filter(c -> c.state().live())
                      .map(c -> callItem(CallJson.call(c, Optional.empty()), now))
                      .toList());
    }
    Instant at = Instant.ofEpochMilli(now);
    return requests
        .list(bank, Optional.of("PENDING"), SNAPSHOT_LIMIT)
        .map(
            found ->
                found.stream()
                    .filter(r -> r.stateAt(at).equals("PENDING"))
                    .map(r -> requestItem(ChangeRequestJson.request(r, at), now))
                    .toList());
  }

  /** A call as it is now, as an item of the {@code calls} channel. */
  Future<Optional<String>> call(long id) {
    long now = System.currentTimeMillis();
    return calls
        .find(id)
        .map(found -> found.map(c -> callItem(CallJson.call(c, Optional.empty()), now)));
  }

  static String callItem(JsonObject call, long ts) {
    return Frames.item(CALLS, "call", ts, call.encode());
  }

  static String requestItem(JsonObject request, long ts) {
    return Frames.item(REQUESTS, "change-request", ts, request.encode());
  }
}

package io.greenpledge.push;

import io.greenpledge.alerts.AlertStream;
import io.greenpledge.alerts.event.Alert;
import io.greenpledge.auth.Authentication;
import io.greenpledge.auth.Caller;
import io.greenpledge.auth.Role;
import io.greenpledge.wire.AlertJson;
import io.greenpledge.wire.Frames;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * One risk desk's socket on {@code /ws}: subscribes to {@code prices}, {@code prices:ID}, {@code
 * valuations} and {@code alerts}, gets a {@code snapshot} per channel, then {@code update} frames
 * from the {@link PushHub}. Valuations and alerts are the caller's bank only (a regulator's: every
 * bank). Alerts resume after a sequence: missed ones come from the database, with no gap and no
 * duplicate against the live stream.
 */
public final class DeskSession extends SocketSession implements Desk {

  static final short CLOSE_SLOW = 1008;

  /** A stopping gateway suggests each desk a delay up to this before it reconnects. */
  static final long RECONNECT_SPREAD_MILLIS = 3_000;

  static final short CLOSE_IDLE = 4408;

  /**
   * Distinct channels: prices, valuations, alerts and one per instrument; more in one frame is a
   * mistake.
   */
  static final int MAX_CHANNELS_PER_FRAME = 16;

  private final PushHub hub;
  private Subscription subscription = Subscription.none("-");
  private final Deque<String> alertQueue = new ArrayDeque<>();
  private Optional<String> bank = Optional.empty();
  private boolean regulator;
  private boolean bankReader;
  private long blockedSince;

  /** Fixed when the desk joins, so the gauge it was counted under is the one it leaves. */
  private String metricsLabel = "-";

  /** Null until the desk subscribes to alerts. */
  private AlertStream alertStream;

  /**
   * Calls or change requests that changed while that channel's snapshot was being read: sent after
   * the snapshot, so the client's latest state is never overwritten by an older one.
   */
  private final java.util.Map<String, List<String>> loadingCases = new java.util.HashMap<>();

  public DeskSession(
      Vertx vertx, ServerWebSocket socket, Authentication authentication, PushHub hub) {
    // A desk sends a handful of frames a minute (subscribe, ping, token refresh): 20 a second, the
    // default, is generous.
    super(
        vertx,
        socket,
        authentication,
        caller -> !caller.roles().isEmpty(),
        hub.settings().framesPerSecond());
    this.hub = hub;
  }

  /** 4429: the subject or its bank holds as many desk sockets as allowed. */
  static final short CLOSE_TOO_MANY = 4429;

  /** The place this desk holds in the node's {@link DeskRegistry}, once taken. */
  private DeskRegistry.Presence presence;

  @Override
  protected void onAuthenticated(Caller caller) {
    takeRoles(caller);
    metricsLabel = regulator ? "*" : bank.orElse("-");
    DeskRegistry.Taken taken =
        hub.registry()
            .take(
                caller.subject(),
                metricsLabel,
                hub.settings().maxPerSubject(),
                hub.settings().maxPerBank());
    if (taken.refused().isPresent()) {
      sendError("too-many-connections", taken.refused().get());
      close(CLOSE_TOO_MANY, "too many desk sockets");
      return;
    }
    presence = taken.presence();
    io.vertx.core.Context context = vertx.getOrCreateContext();
    presence.closer(
        reason ->
            context.runOnContext(
                v -> {
                  hub.leave(this);
                  close(CLOSE_UNAUTHENTICATED, reason);
                }));
    hub.join(this);
  }

  /**
   * The refreshed token's roles govern: a token that may no longer read the bank's channels closes
   * the socket.
   */
  @Override
  protected void onRefreshed(Caller caller) {
    takeRoles(caller);
    if ((subscription.valuations()
            || subscription.alerts()
            || subscription.calls()
            || subscription.requests())
        && !readsBankChannels()) {
      hub.leave(this);
      close(CLOSE_FORBIDDEN, "the refreshed token's roles do not allow the bank's channels");
    }
  }

  private void takeRoles(Caller caller) {
    regulator = caller.has(Role.REGULATOR);
    bank = caller.bank();
    bankReader = bank.isPresent() && (caller.has(Role.VIEWER) || caller.has(Role.RISK_ADMIN));
    subscription = subscription.withBank(regulator ? Subscription.EVERY_BANK : bank.orElse("-"));
    if (subscription.valuations()) {
      hub.keepValuationsOf(subscription.bank());
    }
  }

  /**
   * Valuations and alerts: a bank's viewer or risk-admin (its own bank), or a regulator (every
   * bank).
   */
  private boolean readsBankChannels() {
    return regulator || bankReader;
  }

  @Override
  protected void onClose() {
    hub.leave(this);
    if (presence != null) {
      hub.registry().release(presence);
      presence = null;
    }
  }

  @Override
  protected void onOperation(String op, JsonObject frame) {
    switch (op) {
      case "subscribe" -> subscribe(frame);
      case "unsubscribe" -> unsubscribe(frame);
      default -> sendError("unknown-op", "ops are auth, subscribe, unsubscribe and ping");
    }
    if (presence != null) {
      presence.channels(channelsForPresence());
    }
  }

  private void subscribe(JsonObject frame) {
    List<String> channels = channels(frame);
    if (channels == null) {
      return;
    }
    boolean prices = channels.stream().anyMatch(c -> c.startsWith("prices"));
    boolean valuations = channels.contains("valuations");
    StreamOptions.Parsed parsed = StreamOptions.parse(frame, prices, valuations);
    if (parsed instanceof StreamOptions.Invalid invalid) {
      sendError("invalid-options", invalid.detail());
      return;
    }
    StreamOptions options = ((StreamOptions.Valid) parsed).options();
    if (!options.equals(StreamOptions.DEFAULT) && !prices && !valuations) {
      sendError(
          "invalid-options", "maxFrequency, fields and delta apply to prices and valuations only");
      return;
    }
    for (String channel : channels) {
      if (!subscribed(channel) && subscriptions() >= hub.settings().maxSubscriptions()) {
        sendError(
            "too-many-subscriptions",
            "at most "
                + hub.settings().maxSubscriptions()
                + " channels on one socket (GP_WS_MAX_SUBSCRIPTIONS)");
        close(CLOSE_SLOW, "too many subscriptions");
        return;
      }
      if (subscribed(channel) && blocked()) {
        // A snapshot again while the last one is still unread would only grow this socket's queue.
        sendError(
            "busy",
            "the previous snapshot of " + channel + " is not yet read; subscribe again later");
        continue;
      }
      if (channel.equals("prices")) {
        subscription = subscription.withAllPrices(true).withOptions(channel, options);
        snapshot("prices", hub.pricesSnapshot(subscription, options), null);
      } else if (channel.startsWith("prices:")) {
        String id = channel.substring("prices:".length());
        subscription = subscription.withInstrument(id, true).withOptions(channel, options);
        snapshot(
            channel,
            hub.pricesSnapshot(Subscription.none("-").withInstrument(id, true), options),
            null);
      } else if (channel.equals("valuations")) {
        int covered = hub.valuationsIn(subscription.bank());
        if (covered > hub.settings().maxValuations()) {
          sendError(
              "scope-too-large",
              "valuations would cover "
                  + covered
                  + " live pledges, more than a desk may be sent (GP_WS_MAX_VALUATIONS = "
                  + hub.settings().maxValuations()
                  + "); read them from /portfolio and /pledges");
          continue;
        }
        subscription = subscription.withValuations(true).withOptions(channel, options);
        snapshot("valuations", hub.valuationsSnapshot(subscription, options), null);
      } else if (channel.equals(Workflow.CALLS) || channel.equals(Workflow.REQUESTS)) {
        subscribeCases(channel);
      } else {
        subscribeAlerts(frame.getValue("resume"));
      }
    }
  }

  /** What presence shows of the subscription: each channel with its options. */
  private List<DeskRegistry.Channel> channelsForPresence() {
    List<String> names = new ArrayList<>();
    if (subscription.allPrices()) {
      names.add("prices");
    }
    subscription.instruments().forEach(id -> names.add("prices:" + id));
    if (subscription.valuations()) {
      names.add("valuations");
    }
    if (subscription.alerts()) {
      names.add("alerts");
    }
    if (subscription.calls()) {
      names.add(Workflow.CALLS);
    }
    if (subscription.requests()) {
      names.add(Workflow.REQUESTS);
    }
    List<DeskRegistry.Channel> channels = new ArrayList<>(names.size());
    for (String name : names) {
      StreamOptions options = subscription.options(name);
      channels.add(
          new DeskRegistry.Channel(
              name,
              options.minIntervalMillis() == 0 ? null : 1000.0 / options.minIntervalMillis(),
              options.fields(),
              options.delta()));
    }
    return channels;
  }

  @Override
  public void lag(long unwritableMillis, long windowsBehind, long sentAt) {
    if (presence != null) {
      presence.lag(unwritableMillis, windowsBehind, alertQueue.size());
      if (sentAt > 0) {
        presence.sent(sentAt);
      }
    }
  }

  /** The channels this socket has subscribed to, each {@code prices:<id>} counting once. */
  private int subscriptions() {
    return (subscription.allPrices() ? 1 : 0)
        + subscription.instruments().size()
        + (subscription.valuations() ? 1 : 0)
        + (subscription.alerts() ? 1 : 0)
        + (subscription.calls() ? 1 : 0)
        + (subscription.requests() ? 1 : 0);
  }

  private boolean subscribed(String channel) {
    return switch (channel) {
      case "prices" -> subscription.allPrices();
      case "valuations" -> subscription.valuations();
      case "alerts" -> subscription.alerts();
      case Workflow.CALLS -> subscription.calls();
      case Workflow.REQUESTS -> subscription.requests();
      default -> subscription.instruments().contains(channel.substring("prices:".length()));
    };
  }

  /**
   * The requested channels, each once, if all are valid and allowed; otherwise an error frame and
   * null.
   */
  private List<String> channels(JsonObject frame) {
    Object raw = frame.getValue("channels");
    if (!(raw instanceof JsonArray array) || array.isEmpty()) {
      sendError("invalid-subscribe", "channels must be a non-empty array of channel names");
      return null;
    }
    if (array.size() > MAX_CHANNELS_PER_FRAME) {
      sendError(
          "too-many-channels", "at most " + MAX_CHANNELS_PER_FRAME + " channels in one frame");
      return null;
    }
    java.util.Set<String> channels = new java.util.LinkedHashSet<>();
    for (Object entry : array) {
      String channel = entry instanceof String s ? s : String.valueOf(entry);
      boolean price =
          channel.equals("prices")
              || (channel.startsWith("prices:") && hub.knowsInstrument(channel.substring(7)));
      boolean bankChannel =
          channel.equals("valuations")
              || channel.equals("alerts")
              || channel.equals(Workflow.CALLS)
              || channel.equals(Workflow.REQUESTS);
      if (!price && !bankChannel) {
        sendError(
            "unknown-channel",
            "no channel '"
                + channel
                + "'; channels are prices, prices:<instrument>, "
                + "valuations, alerts, calls, change-requests");
        return null;
      }
      if (bankChannel && !readsBankChannels()) {
        sendError(
            "forbidden-channel",
            channel + " needs a bank-bound role (viewer, risk-admin) or regulator");
        return null;
      }
      channels.add(channel);
    }
    return new ArrayList<>(channels);
  }

  private void unsubscribe(JsonObject frame) {
    List<String> channels = channels(frame);
    if (channels == null) {
      return;
    }
    for (String channel : channels) {
      switch (channel) {
        case "prices" -> subscription = subscription.withAllPrices(false);
        case "valuations" -> subscription = subscription.withValuations(false);
        case "alerts" -> {
          subscription = subscription.withAlerts(false);
          alertQueue.clear();
        }
        case Workflow.CALLS -> {
          subscription = subscription.withCalls(false);
          loadingCases.remove(channel);
        }
        case Workflow.REQUESTS -> {
          subscription = subscription.withRequests(false);
          loadingCases.remove(channel);
        }
        default ->
            subscription =
                subscription.withInstrument(channel.substring("prices:".length()), false);
      }
    }
    send(Frames.unsubscribed(channels));
  }

  /**
   * Alerts resume after the client's cursor through the {@link AlertStream}: no gap, no duplicate.
   */
  private void subscribeAlerts(Object resume) {
    if (alertStream != null && alertStream.resuming()) {
      sendError("resume-in-progress", "alerts are being resumed already; wait for their snapshot");
      return;
    }
    Object cursor = resume instanceof JsonObject r ? r.getValue("alerts") : null;
    boolean valid =
        resume == null
            || (resume instanceof JsonObject
                && (cursor == null
                    || (cursor instanceof Number n
                        && n.doubleValue() >= 0
                        && n.doubleValue() == n.longValue()
                        && n.doubleValue() < 9.0e18)));
    if (!valid) {
      sendError("invalid-resume", "resume is {\"alerts\": <last seen seq>}, a whole number ≥ 0");
      return;
    }
    subscription = subscription.withAlerts(true);
    alertQueue.clear();
    alertStream = new AlertStream(hub.alertStore(), regulator ? Optional.empty() : bank);
    alertStream
        .resume(cursor == null ? null : ((Number) cursor).longValue())
        .onSuccess(
            resumed -> {
              if (resumed.storeFailed()) {
                sendError(
                    "resume-failed",
                    "alerts could not be read from the store; resubscribe to retry");
              }
              snapshot(
                  "alerts",
                  resumed.stored().stream().map(AlertJson::item).toList(),
                  resumed.cursor());
              resumed.caughtUp().forEach(alert -> alertQueue.add(AlertJson.item(alert)));
            });
  }

  /**
   * Margin calls or change requests: a snapshot of the bank's live ones read from the database,
   * then each change as it happens (queued like alerts, never conflated). A change that arrives
   * while the snapshot is read follows it.
   */
  private void subscribeCases(String channel) {
    if (loadingCases.containsKey(channel)) {
      sendError("snapshot-in-progress", channel + " is being read already; wait for its snapshot");
      return;
    }
    subscription =
        channel.equals(Workflow.CALLS)
            ? subscription.withCalls(true)
            : subscription.withRequests(true);
    List<String> during = new ArrayList<>();
    loadingCases.put(channel, during);
    hub.caseSnapshot(channel, regulator ? Optional.empty() : bank)
        .onComplete(
            read -> {
              if (loadingCases.get(channel) != during) {
                return; // unsubscribed (or closed) meanwhile
              }
              loadingCases.remove(channel);
              if (read.failed()) {
                sendError(
                    "snapshot-failed",
                    channel + " could not be read from the store; resubscribe to retry");
                return;
              }
              snapshot(channel, read.result(), null);
              alertQueue.addAll(during);
            });
  }

  @Override
  public void offerCase(String channel, String caseBank, String encoded) {
    boolean wanted =
        channel.equals(Workflow.CALLS) ? subscription.calls() : subscription.requests();
    if (!wanted || !subscription.sees(caseBank)) {
      return;
    }
    List<String> during = loadingCases.get(channel);
    if (during != null) {
      during.add(encoded);
    } else {
      alertQueue.add(encoded);
    }
  }

  /**
   * A persisted alert from the hub, with its shared encoding; kept if this socket's stream takes
   * it.
   */
  @Override
  public void offerAlert(Alert alert, String encoded) {
    if (subscription.alerts() && alertStream != null && alertStream.offer(alert)) {
      alertQueue.add(encoded);
    }
  }

  private void snapshot(String channel, List<String> items, Long lastAlert) {
    writeText(Frames.snapshot(channel, nextSeq(), System.currentTimeMillis(), lastAlert, items));
  }

  @Override
  public String metricsLabel() {
    return metricsLabel;
  }

  @Override
  public Subscription subscription() {
    return subscription;
  }

  @Override
  public boolean blocked() {
    boolean full;
    try {
      full = socket.writeQueueFull();
    } catch (IllegalStateException closedMeanwhile) {
      return true;
    }
    if (!full) {
      blockedSince = 0;
    } else if (blockedSince == 0) {
      blockedSince = System.currentTimeMillis();
    }
    return full;
  }

  @Override
  public long blockedForMillis(long now) {
    return blockedSince == 0 ? 0 : now - blockedSince;
  }

  @Override
  public int queuedAlerts() {
    return alertQueue.size();
  }

  @Override
  public long lastHeardFrom() {
    return lastClientFrameAt();
  }

  @Override
  public void sendUpdate(List<byte[]> parts, long ts) {
    if (parts.isEmpty() && alertQueue.isEmpty()) {
      return;
    }
    String head = Frames.updateHead(nextSeq(), ts);
    StringBuilder tail = new StringBuilder(16 + alertQueue.size() * 256);
    boolean first = parts.isEmpty();
    while (!alertQueue.isEmpty()) {
      tail.append(first ? "" : ",").append(alertQueue.poll());
      first = false;
    }
    writeText(head, parts, tail.append(Frames.UPDATE_TAIL).toString());
  }

  @Override
  public void sendHeartbeat() {
    send(Frames.heartbeat());
  }

  @Override
  public void close(Close why) {
    switch (why) {
      case SLOW -> close(CLOSE_SLOW, "slow consumer: unwritable too long");
      case IDLE -> close(CLOSE_IDLE, "idle: no frame from the client");
      case GOING_AWAY -> {
        // Spread over a few seconds: a thousand desks of a stopping replica do not all land on
        // the others in the same millisecond.
        send(
            Frames.reconnect(
                java.util.concurrent.ThreadLocalRandom.current().nextLong(RECONNECT_SPREAD_MILLIS),
                "the gateway is stopping; reconnect (to another replica) and resume"));
        close((short) 1001, "gateway stopping");
      }
    }
  }
}

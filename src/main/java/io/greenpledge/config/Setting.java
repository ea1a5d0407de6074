package io.greenpledge.config;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Every setting of the gateway in one table: its key, its default (as it would be written in a
 * {@code --config} file) and what it does. The loader takes keys and defaults from here, refuses
 * keys that are not here, and README's settings table is generated from here (a test compares
 * them), as Centrifugo keeps its configuration types.
 */
public enum Setting {
  // http
  HTTP_HOST("GP_HTTP_HOST", "0.0.0.0", "interface the HTTP server listens on"),
  HTTP_PORT(
      "GP_HTTP_PORT",
      "8080",
      "port of the REST API, the WebSockets, the dashboard, health and metrics"),
  MANAGEMENT_HOST(
      "GP_MANAGEMENT_HOST",
      "127.0.0.1",
      "interface of the management port (/metrics, /health/*): loopback; in Kubernetes the pod IP"),
  MANAGEMENT_PORT(
      "GP_MANAGEMENT_PORT",
      "9464",
      "the management port: Prometheus metrics (per-bank risk figures) and health, never on the"
          + " public port; 0 = a free port"),
  MANAGEMENT_TOKEN(
      "GP_MANAGEMENT_TOKEN",
      null,
      "—",
      "if set, /metrics on the management port needs `Authorization: Bearer <it>`"),
  HTTP_INSTANCES(
      "GP_HTTP_INSTANCES",
      null,
      "number of cores",
      "HTTP/WebSocket verticles sharing the port (one per event loop), 1–64"),
  NATIVE_TRANSPORT(
      "GP_NATIVE_TRANSPORT",
      "true",
      "sockets on Netty's native transports (Linux x86-64 and ARM64): `true` for io_uring where"
          + " the kernel allows it, else epoll; `epoll` for epoll only; `false` for Java NIO; a"
          + " transport that does not load is logged with its reason, and the next one runs"),
  // store
  DATA_DIR(
      "GP_DATA_DIR",
      "data",
      "embedded PostgreSQL data (`pg/`, its log `postgresql.log`) and the local signing key (`jwt/`)"),
  PG_URL(
      "GP_PG_URL",
      null,
      "—",
      "`postgresql://user:password@host:5432/db`; unset = embedded PostgreSQL"),
  PG_POOL_SIZE("GP_PG_POOL_SIZE", "8", "database connections, 1–256"),
  JOURNAL_MAX_BATCH(
      "GP_JOURNAL_MAX_BATCH",
      "5000",
      "most ticks in one journal write; ticks gather while the writes before them are in "
          + "flight (group commit), and a tick moves a price only once written"),
  JOURNAL_WRITERS(
      "GP_JOURNAL_WRITERS",
      "2",
      "journal groups written side by side, 1–4, each in its own transaction; they commit in the "
          + "order judged, and a group judged after one that fails is judged again"),
  VALUATION_SNAPSHOT(
      "GP_VALUATION_SNAPSHOT", "15m", "how often every valuation is written to the history"),
  // feeds
  FEEDS("GP_FEEDS", "simulator,ingest", "any of `simulator`, `replay`, `ingest`"),
  SIM_SEED("GP_SIM_SEED", "20210716", "simulator seed (same seed, same path)"),
  REPLAY_FILE("GP_REPLAY_FILE", null, "—", "CSV to replay (required with the `replay` feed)"),
  REPLAY_SPEED(
      "GP_REPLAY_SPEED",
      "60",
      "replay speed-up; replayed ticks are stamped with the time they are sent"),
  REPLAY_TIMESTAMPS(
      "GP_REPLAY_TIMESTAMPS",
      "restamp",
      "`restamp`: replayed trades are stamped with the time they are sent (a live rehearsal); `file`: "
          + "a backfill, journaled once with the file's own times as a trades import"),
  // market
  TRADING_HOURS(
      "GP_TRADING_HOURS",
      "always",
      "`always` (demo alive at night) or `exchange` (Mon–Fri 09:30–11:30, "
          + "13:00–15:00 CST); drives the simulator and staleness"),
  MARK_BASIS("GP_MARK_BASIS", "conservative", "`conservative`, `last`, `vwap20`"),
  TICK_MAX_FUTURE("GP_TICK_MAX_FUTURE", "5s", "allowed clock skew of tick timestamps"),
  CALL_DUE_DAYS(
      "GP_CALL_DUE_DAYS",
      "2",
      "trading days a borrower has to meet a margin call (due at the close of the last), 1–30"),
  FOUR_EYES(
      "GP_FOUR_EYES",
      "pledge.lines,pledge.release-with-call,pledge.quantity-down,pledge.cash-margin-down,call.cancel,"
          + "disposal.decide,limits.change",
      "actions that need a second risk-admin of the same bank (maker–checker): `pledge.lines` (lines or"
          + " initial LTV), `pledge.release-with-call` (releasing a pledge with a live margin call),"
          + " `pledge.quantity-down` (pledging fewer units), `pledge.cash-margin-down` (taking back"
          + " cash margin), `call.cancel` (resolving a live margin"
          + " call), `disposal.decide` (selling a disposal case's right, or forbearing),"
          + " `limits.change` (a bank's eligibility schedule or concentration limits);"
          + " `none` for none"),
  CHANGE_REQUEST_TTL(
      "GP_CHANGE_REQUEST_TTL",
      "24h",
      "how long a change request waits for its checker before it expires"),
  // push
  WS_WINDOW(
      "GP_WS_WINDOW",
      "50ms",
      "conflation window: a desk gets at most one update frame per window (an event loop whose"
          + " desks take longer to write than its share of a window, `GP_WS_LOOP_SHARE`, lengthens"
          + " its windows, up to 1 s)"),
  WS_SLOW_CLOSE(
      "GP_WS_SLOW_CLOSE", "10s", "a socket unwritable this long is closed (1008, slow consumer)"),
  WS_IDLE_TIMEOUT(
      "GP_WS_IDLE_TIMEOUT",
      "5m",
      "silence from a client (send `ping`) before its socket is closed"),
  WS_HEARTBEAT("GP_WS_HEARTBEAT", "15s", "how often an idle desk gets a `heartbeat` frame"),
  WS_MAX_QUEUED_ALERTS(
      "GP_WS_MAX_QUEUED_ALERTS",
      "10000",
      "alerts are never dropped: a desk with more queued than "
          + "this is closed as a slow consumer instead"),
  WS_MAX_PER_SUBJECT(
      "GP_WS_MAX_PER_SUBJECT",
      "10",
      "desk sockets one token subject may hold on a node; past it: `error` too-many-connections,"
          + " close 4429"),
  WS_MAX_PER_BANK(
      "GP_WS_MAX_PER_BANK",
      "1000",
      "desk sockets one bank's users (or the regulators) may hold on a node; past it: `error`"
          + " too-many-connections, close 4429"),
  WS_MAX_SUBSCRIPTIONS(
      "GP_WS_MAX_SUBSCRIPTIONS",
      "64",
      "channels one desk socket may subscribe to (each `prices:<id>` counts); past it: `error`"
          + " too-many-subscriptions, close 1008"),
  WS_MAX_VALUATIONS(
      "GP_WS_MAX_VALUATIONS",
      "50000",
      "live pledges a desk's valuations may cover (its bank's, or every bank's for a regulator),"
          + " checked when it subscribes; past it: `error` scope-too-large and the channel is not"
          + " subscribed (about 1 KB a valuation: the snapshot, and a window after a mark change,"
          + " would outgrow what a desk reads; read such a book from /portfolio and /pledges)"),
  WS_SHARDS(
      "GP_WS_SHARDS",
      "32",
      "each event loop writes its desks' frames in this many turns spread over the window (a desk"
          + " still gets one frame per window, from the state at its own turn): more turns, shorter"
          + " waits for the loop's other work; at most one per millisecond of the window"),
  WS_LOOP_SHARE(
      "GP_WS_LOOP_SHARE",
      "33",
      "percent of each event loop's time the desks' frames may take (10–50): a loop whose desks"
          + " take longer to write lengthens their window, at most to 1 s; more gives fresher desks"
          + " under load and makes the loop's other work (REST, ingest) wait longer"),
  WS_FRAMES_PER_SECOND(
      "GP_WS_FRAMES_PER_SECOND",
      "20",
      "frames one desk socket may send per second (bursts of twice that); over it: `error`"
          + " rate-limited and the frames dropped, at 4 times it: close 1008"),
  // identity
  JWT_ISSUER("GP_JWT_ISSUER", "greenpledge-local", "required `iss` of tokens"),
  JWT_AUDIENCE("GP_JWT_AUDIENCE", "greenpledge-gateway", "required `aud` of tokens"),
  JWT_PUBLIC_KEYS(
      "GP_JWT_PUBLIC_KEYS",
      null,
      "—",
      "the bank IdP's PEM public keys (comma-separated files); " + "disables the local key"),
  JWT_JWKS_URL("GP_JWT_JWKS_URL", null, "—", "the bank IdP's JWKS URL; disables the local key"),
  JWT_JWKS_REFRESH(
      "GP_JWT_JWKS_REFRESH",
      "10m",
      "the JWKS is read again this often, and on a token of an unknown `kid` at most every 30 s"),
  JWT_TTL("GP_JWT_TTL", "8h", "lifetime of tokens minted by `token` and the demo"),
  JWT_MAX_TTL(
      "GP_JWT_MAX_TTL",
      "7d",
      "the longest lifetime a token may have (`exp` is required, of any issuer)"),
  DEMO(
      "GP_DEMO",
      null,
      "on with the embedded database",
      "seed the demo books on an empty database and print demo tokens"),
  // limits
  RATE_LIMIT(
      "GP_RATE_LIMIT",
      "200",
      "REST requests/s per caller (subject, bank and roles; burst ×2; 0 = off)"),
  INGEST_RATE_LIMIT("GP_INGEST_RATE_LIMIT", "200000", "ingested ticks/s per connector (0 = off)"),
  AUTH_FAILURE_LIMIT(
      "GP_AUTH_FAILURE_LIMIT",
      "20",
      "failed authentications per second per client address "
          + "(burst ×2), then 429 without checking the token (0 = off)"),
  CONNECTIONS_PER_ADDRESS(
      "GP_CONNECTIONS_PER_ADDRESS",
      "2000",
      "open connections per client address (past it a new "
          + "one is closed); a bank's desks behind one NAT address count together"),
  UNAUTHENTICATED_SOCKETS_PER_ADDRESS(
      "GP_UNAUTHENTICATED_SOCKETS_PER_ADDRESS",
      "200",
      "WebSockets per client " + "address still waiting for their auth frame (past it, 429)"),
  // cluster
  CLUSTER(
      "GP_CLUSTER", "false", "clustered mode: replicas join over Hazelcast (needs `GP_PG_URL`)"),
  CLUSTER_DISCOVERY(
      "GP_CLUSTER_DISCOVERY",
      "tcp",
      "`tcp` (with `GP_CLUSTER_MEMBERS`) or `kubernetes` " + "(with `GP_CLUSTER_SERVICE`)"),
  CLUSTER_HOST("GP_CLUSTER_HOST", "127.0.0.1", "address this member announces"),
  CLUSTER_PORT("GP_CLUSTER_PORT", "5701", "Hazelcast port"),
  CLUSTER_MEMBERS(
      "GP_CLUSTER_MEMBERS", null, "—", "other members as `host[:port],…` (tcp discovery)"),
  CLUSTER_SERVICE(
      "GP_CLUSTER_SERVICE",
      "greenpledge-gateway-cluster",
      "headless Service of the replicas " + "(kubernetes discovery)");

  private final String key;
  private final String defaultValue;
  private final String shownDefault;
  private final String doc;

  Setting(String key, String defaultValue, String doc) {
    this(key, defaultValue, "`" + defaultValue + "`", doc);
  }

  /**
   * @param defaultValue null when unset by default or computed at start-up ({@code shownDefault}
   *     says how)
   */
  Setting(String key, String defaultValue, String shownDefault, String doc) {
    this.key = key;
    this.defaultValue = defaultValue;
    this.shownDefault = shownDefault;
    this.doc = doc;
  }

  public String key() {
    return key;
  }

  /** The default as text; empty when the setting is unset by default or computed. */
  public Optional<String> defaultValue() {
    return Optional.ofNullable(defaultValue);
  }

  public String doc() {
    return doc;
  }

  public static Optional<Setting> byKey(String key) {
    return Arrays.stream(values()).filter(s -> s.key.equals(key)).findFirst();
  }

  /** README's settings table, one row per setting in this table's order. */
  public static String markdownTable() {
    return "| Setting | Default | What it does |\n|---|---|---|\n"
        + Arrays.stream(values())
            .map(s -> "| `" + s.key + "` | " + s.shownDefault + " | " + s.doc + " |")
            .collect(Collectors.joining("\n"))
        + "\n";
  }
}

package io.greenpledge.config;

import io.greenpledge.market.MarkBasis;
import io.greenpledge.market.TradingHours;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads settings from defaults, then an optional {@code --config FILE} (lines {@code GP_X=value}),
 * then {@code GP_*} environment variables; the later source wins. Every value is checked here, so a
 * wrong one stops the start with a message naming the setting instead of failing later.
 */
public final class SettingsLoader {

  static final Set<String> KNOWN =
      new TreeSet<>(Arrays.stream(Setting.values()).map(Setting::key).toList());

  private final Map<String, String> values = new HashMap<>();

  private SettingsLoader() {}

  /** Loads settings the way the gateway does at start-up. */
  public static Settings load(Optional<Path> configFile, Map<String, String> environment) {
    SettingsLoader loader = new SettingsLoader();
    configFile.ifPresent(loader::readFile);
    environment.forEach(
        (key, value) -> {
          if (key.startsWith("GP_")) {
            loader.put(key, value, "environment");
          }
        });
    return loader.build();
  }

  /**
   * Reads {@code GP_NAME=value} lines: UTF-8 (a leading byte-order mark is skipped, as Windows
   * editors write one), {@code #} comments, values taken literally (no escapes, so a Windows path
   * or a backslash in a password stays as written). Every problem names the file and the line.
   */
  private void readFile(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new SettingsException("--config", "cannot read " + file + " (" + e.getMessage() + ")");
    }
    String text = decode(file, bytes);
    String[] lines = text.split("\r?\n|\r", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith("!")) {
        continue;
      }
      int equals = line.indexOf('=');
      String key = equals < 0 ? "" : line.substring(0, equals).strip();
      if (!key.matches("[A-Z][A-Z0-9_]*")) {
        throw new SettingsException(
            "--config",
            file + " line " + (i + 1) + ": expected GP_NAME=value, got '" + abbreviate(line) + "'");
      }
      put(key, line.substring(equals + 1), file + " line " + (i + 1));
    }
  }

  private static String decode(Path file, byte[] bytes) {
    int offset = 0;
    if (bytes.length >= 3
        && (bytes[0] & 0xff) == 0xEF
        && (bytes[1] & 0xff) == 0xBB
        && (bytes[2] & 0xff) == 0xBF) {
      offset = 3;
    } else if (bytes.length >= 2
        && ((bytes[0] & 0xff) == 0xFE || (bytes[0] & 0xff) == 0xFF)
        && ((bytes[1] & 0xff) == 0xFF || (bytes[1] & 0xff) == 0xFE)) {
      throw new SettingsException(
          "--config",
          file + " is UTF-16 (it starts with a UTF-16 byte-order mark); " + "save it as UTF-8");
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
          .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes, offset, bytes.length - offset))
          .toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      int line = 1;
      int at = offset;
      java.nio.charset.CharsetDecoder probe = StandardCharsets.UTF_8.newDecoder();
      for (int i = offset; i < bytes.length; i++) {
        if (bytes[i] == '\n') {
          try {
            probe.decode(java.nio.ByteBuffer.wrap(bytes, at, i - at));
          } catch (java.nio.charset.CharacterCodingException bad) {
            break;
          }
          line++;
          at = i + 1;
        }
      }
      throw new SettingsException(
          "--config", file + " line " + line + " is not valid UTF-8; save the file as UTF-8");
    }
  }

  private static String abbreviate(String line) {
    return line.length() <= 60 ? line : line.substring(0, 60) + "…";
  }

  private void put(String key, String value, String origin) {
    if (!KNOWN.contains(key)) {
      throw new SettingsException(
          key, "unknown setting (from " + origin + "); known settings are " + KNOWN);
    }
    if (value.indexOf('\0') >= 0) {
      throw new SettingsException(key, "contains a NUL character (from " + origin + ")");
    }
    values.put(key, value.trim());
  }

  private Settings build() {
    Optional<String> pgUrl = optional(Setting.PG_URL).map(this::checkPgUrl);
    return new Settings(
        new Settings.Http(
            string(Setting.HTTP_HOST),
            intIn(Setting.HTTP_PORT, 0, 65535),
            intIn(Setting.HTTP_INSTANCES, Runtime.getRuntime().availableProcessors(), 1, 64),
            string(Setting.MANAGEMENT_HOST),
            intIn(Setting.MANAGEMENT_PORT, 0, 65535),
            optional(Setting.MANAGEMENT_TOKEN),
            transport()),
        new Settings.Store(
            Path.of(string(Setting.DATA_DIR)).toAbsolutePath(),
            pgUrl,
            intIn(Setting.PG_POOL_SIZE, 1, 256),
            intIn(Setting.JOURNAL_MAX_BATCH, 1, 100_000),
            intIn(Setting.JOURNAL_WRITERS, 1, 4),
            duration(Setting.VALUATION_SNAPSHOT)),
        feedSettings(),
        new Settings.Market(
            enumValue(Setting.TRADING_HOURS, TradingHours.class),
            markBasis(),
            duration(Setting.TICK_MAX_FUTURE),
            intIn(Setting.CALL_DUE_DAYS, 1, 30)),
        new Settings.Push(
            duration(Setting.WS_WINDOW),
            duration(Setting.WS_SLOW_CLOSE),
            duration(Setting.WS_IDLE_TIMEOUT),
            duration(Setting.WS_HEARTBEAT),
            intIn(Setting.WS_MAX_QUEUED_ALERTS, 1, 10_000_000),
            intIn(Setting.WS_MAX_PER_SUBJECT, 1, 1_000_000),
            intIn(Setting.WS_MAX_PER_BANK, 1, 10_000_000),
            intIn(Setting.WS_MAX_SUBSCRIPTIONS, 1, 10_000),
            intIn(Setting.WS_FRAMES_PER_SECOND, 1, 100_000),
            intIn(Setting.WS_MAX_VALUATIONS, 1, 100_000_000),
            intIn(Setting.WS_SHARDS, 1, 64),
            intIn(Setting.WS_LOOP_SHARE, 10, 50)),
        jwt(),
        bool(Setting.DEMO, pgUrl.isEmpty()),
        cluster(pgUrl),
        new Settings.RateLimits(
            intIn(Setting.RATE_LIMIT, 0, 10_000_000),
            intIn(Setting.INGEST_RATE_LIMIT, 0, 100_000_000),
            intIn(Setting.AUTH_FAILURE_LIMIT, 0, 1_000_000),
            intIn(Setting.CONNECTIONS_PER_ADDRESS, 1, 1_000_000),
            intIn(Setting.UNAUTHENTICATED_SOCKETS_PER_ADDRESS, 1, 1_000_000)),
        fourEyes());
  }

  private Settings.Feeds feedSettings() {
    Set<Settings.Feed> feeds = feeds();
    Optional<Path> replayFile = optional(Setting.REPLAY_FILE).map(Path::of);
    if (feeds.contains(Settings.Feed.REPLAY) && replayFile.isEmpty()) {
      throw new SettingsException(
          Setting.REPLAY_FILE.key(), "is required when GP_FEEDS contains replay");
    }
    String timestamps = string(Setting.REPLAY_TIMESTAMPS);
    if (!timestamps.equals("restamp") && !timestamps.equals("file")) {
      throw new SettingsException(
          Setting.REPLAY_TIMESTAMPS.key(), "must be restamp or file, was '" + timestamps + "'");
    }
    return new Settings.Feeds(
        feeds,
        longValue(Setting.SIM_SEED, 0),
        replayFile,
        positiveDouble(Setting.REPLAY_SPEED),
        timestamps.equals("file"));
  }

  private Settings.FourEyes fourEyes() {
    Set<String> known = Settings.FourEyes.KNOWN;
    Set<String> actions = new TreeSet<>();
    for (String name : string(Setting.FOUR_EYES).split(",")) {
      String action = name.trim();
      if (action.isEmpty() || action.equals("none")) {
        continue;
      }
      if (!known.contains(action)) {
        throw new SettingsException(
            Setting.FOUR_EYES.key(),
            "'" + action + "' is not one of " + new TreeSet<>(known) + " (or none)");
      }
      actions.add(action);
    }
    return new Settings.FourEyes(Set.copyOf(actions), duration(Setting.CHANGE_REQUEST_TTL));
  }

  private Settings.Cluster cluster(Optional<String> pgUrl) {
    boolean enabled = bool(Setting.CLUSTER, false);
    if (enabled && pgUrl.isEmpty()) {
      throw new SettingsException(
          "GP_CLUSTER", "replicas must share one database: set GP_PG_URL too");
    }
    List<String> members =
        optional(Setting.CLUSTER_MEMBERS).stream()
            .flatMap(list -> Arrays.stream(list.split(",")))
            .map(String::trim)
            .filter(m -> !m.isEmpty())
            .toList();
    return new Settings.Cluster(
        enabled,
        enumValue(Setting.CLUSTER_DISCOVERY, Settings.Cluster.Discovery.class),
        string(Setting.CLUSTER_HOST),
        intIn(Setting.CLUSTER_PORT, 1, 65535),
        members,
        string(Setting.CLUSTER_SERVICE));
  }

  private MarkBasis markBasis() {
    MarkBasis basis = enumValue(Setting.MARK_BASIS, MarkBasis.class);
    if (!basis.selectable()) {
      throw new SettingsException(
          "GP_MARK_BASIS", "must be conservative, last or vwap20; reference is only a fallback");
    }
    return basis;
  }

  private Settings.Jwt jwt() {
    List<Path> keys =
        optional(Setting.JWT_PUBLIC_KEYS).stream()
            .flatMap(list -> Arrays.stream(list.split(",")))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .map(Path::of)
            .toList();
    Optional<String> jwks =
        optional(Setting.JWT_JWKS_URL).map(url -> checkUrl("GP_JWT_JWKS_URL", url));
    Duration ttl = duration(Setting.JWT_TTL);
    Duration maxTtl = duration(Setting.JWT_MAX_TTL);
    if (ttl.compareTo(maxTtl) > 0) {
      throw new SettingsException("GP_JWT_TTL", "is longer than GP_JWT_MAX_TTL (" + maxTtl + ")");
    }
    return new Settings.Jwt(
        string(Setting.JWT_ISSUER),
        string(Setting.JWT_AUDIENCE),
        keys,
        jwks,
        ttl,
        maxTtl,
        duration(Setting.JWT_JWKS_REFRESH));
  }

  /** {@code true} and {@code false} as before io_uring, and {@code epoll}. */
  private Settings.Transport transport() {
    String raw = string(Setting.NATIVE_TRANSPORT);
    Boolean truth = truth(raw);
    if (truth != null) {
      return truth ? Settings.Transport.NATIVE : Settings.Transport.NIO;
    }
    if (raw.equalsIgnoreCase("epoll")) {
      return Settings.Transport.EPOLL;
    }
    throw new SettingsException(
        Setting.NATIVE_TRANSPORT.key(), "must be true, epoll or false, was '" + raw + "'");
  }

  private Set<Settings.Feed> feeds() {
    String raw = string(Setting.FEEDS);
    EnumSet<Settings.Feed> feeds = EnumSet.noneOf(Settings.Feed.class);
    for (String name : raw.split(",")) {
      String trimmed = name.trim();
      if (trimmed.isEmpty()) {
        continue;
      }
      feeds.add(parseEnum("GP_FEEDS", Settings.Feed.class, trimmed));
    }
    return Set.copyOf(feeds);
  }

  /** The value given, else the setting's default; empty when neither is set. */
  private Optional<String> optional(Setting setting) {
    return Optional.ofNullable(values.get(setting.key()))
        .filter(v -> !v.isEmpty())
        .or(setting::defaultValue);
  }

  private String string(Setting setting) {
    return optional(setting).orElseThrow();
  }

  private int intIn(Setting setting, int min, int max) {
    return intIn(setting, 0, min, max);
  }

  /**
   * @param computed the default of a setting whose default is computed at start-up
   */
  private int intIn(Setting setting, int computed, int min, int max) {
    long value = longValue(setting, computed);
    if (value < min || value > max) {
      throw new SettingsException(
          setting.key(), "must be between " + min + " and " + max + ", was " + value);
    }
    return (int) value;
  }

  private long longValue(Setting setting, long computed) {
    Optional<String> raw = optional(setting);
    if (raw.isEmpty()) {
      return computed;
    }
    try {
      return Long.parseLong(raw.get());
    } catch (NumberFormatException e) {
      throw new SettingsException(setting.key(), "must be a whole number, was '" + raw.get() + "'");
    }
  }

  private double positiveDouble(Setting setting) {
    String raw = string(setting);
    try {
      double value = Double.parseDouble(raw);
      if (!(value > 0) || Double.isInfinite(value)) {
        throw new SettingsException(setting.key(), "must be a positive number, was '" + raw + "'");
      }
      return value;
    } catch (NumberFormatException e) {
      throw new SettingsException(setting.key(), "must be a positive number, was '" + raw + "'");
    }
  }

  /**
   * @param computed the default of a setting whose default is computed at start-up
   */
  private boolean bool(Setting setting, boolean computed) {
    Optional<String> raw = optional(setting);
    if (raw.isEmpty()) {
      return computed;
    }
    Boolean truth = truth(raw.get());
    if (truth == null) {
      throw new SettingsException(setting.key(), "must be true or false, was '" + raw.get() + "'");
    }
    return truth;
  }

  /** The words a boolean setting takes; null for any other. */
  private static Boolean truth(String raw) {
    return switch (raw.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "1", "on" -> true;
      case "false", "no", "0", "off" -> false;
      default -> null;
    };
  }

  /**
   * Accepts ISO-8601 ({@code PT5S}) or a number with a unit: {@code 250ms}, {@code 5s}, {@code 8h}.
   */
  private Duration duration(Setting setting) {
    String key = setting.key();
    String raw = string(setting);
    try {
      Duration parsed = parseDuration(raw);
      if (parsed.isNegative() || parsed.isZero()) {
        throw new SettingsException(key, "must be a positive duration, was '" + raw + "'");
      }
      return parsed;
    } catch (DateTimeParseException | NumberFormatException e) {
      throw new SettingsException(
          key, "must be a duration like 250ms, 5s, 10m, 8h or PT5S, was '" + raw + "'");
    }
  }

  /** Parses the durations accepted in settings and on the command line. */
  public static Duration parseDuration(String raw) {
    String text = raw.trim().toLowerCase(Locale.ROOT);
    if (text.startsWith("p")) {
      return Duration.parse(text.toUpperCase(Locale.ROOT));
    }
    if (text.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
    }
    long amount = Long.parseLong(text.substring(0, text.length() - 1));
    return switch (text.charAt(text.length() - 1)) {
      case 's' -> Duration.ofSeconds(amount);
      case 'm' -> Duration.ofMinutes(amount);
      case 'h' -> Duration.ofHours(amount);
      case 'd' -> Duration.ofDays(amount);
      default -> throw new NumberFormatException(raw);
    };
  }

  private <E extends Enum<E>> E enumValue(Setting setting, Class<E> type) {
    return parseEnum(setting.key(), type, string(setting));
  }

  private static <E extends Enum<E>> E parseEnum(String key, Class<E> type, String raw) {
    try {
      return Enum.valueOf(type, raw.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new SettingsException(
          key,
          "'"
              + raw
              + "' is not one of "
              + Arrays.stream(type.getEnumConstants())
                  .map(c -> c.name().toLowerCase(Locale.ROOT))
                  .toList());
    }
  }

  private String checkPgUrl(String url) {
    if (!url.startsWith("postgresql://") && !url.startsWith("postgres://")) {
      throw new SettingsException(
          "GP_PG_URL", "must look like postgresql://user:password@host:5432/database");
    }
    return checkUrl("GP_PG_URL", url);
  }

  private static String checkUrl(String key, String url) {
    try {
      URI uri = URI.create(url);
      if (uri.getHost() == null) {
        throw new SettingsException(key, "has no host: " + redact(url));
      }
      return url;
    } catch (IllegalArgumentException e) {
      throw new SettingsException(key, "is not a valid URL: " + redact(url));
    }
  }

  /** URLs may carry a password; never echo it. */
  private static String redact(String url) {
    return url.replaceAll("//[^@/]*@", "//***@");
  }
}

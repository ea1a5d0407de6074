package io.greenpledge;

import io.greenpledge.auth.Authentication;
import io.greenpledge.auth.LocalKeys;
import io.greenpledge.auth.Role;
import io.greenpledge.config.Settings;
import io.greenpledge.config.SettingsException;
import io.greenpledge.config.SettingsLoader;
import io.greenpledge.store.AuditLog;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code java -jar greenpledge-gateway.jar [serve] [--config FILE]} starts the gateway; {@code …
 * token --bank B --roles viewer,risk-admin [--ttl 8h] [--sub NAME]} prints a token signed with the
 * local key.
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    try {
      System.exit(run(args, System.out));
    } catch (SettingsException | IllegalArgumentException e) {
      System.err.println("greenpledge: " + e.getMessage());
      System.exit(2);
    }
  }

  /** What {@code --help} prints, per command ({@code ""}: the overview). */
  static final Map<String, String> HELP =
      Map.of(
          "",
          """
          Usage: greenpledge [COMMAND] [OPTIONS]
          The GreenPledge gateway: live prices of environmental rights, pledges valued as they move.

          Commands:
            serve    run the gateway (the default): GP_* settings from the environment or --config FILE
            token    mint a token with the gateway's local key (audited)
            import   load daily bars or trades from CSV files into the market history
            audit    verify the audit trail's hash chain
            help     this text; `greenpledge COMMAND --help` for one command

          Options:
            -h, --help       show help and exit
            -V, --version    print the version and exit
            --config FILE    read settings from FILE (KEY=VALUE lines; the environment wins)

          Settings (GP_*) are listed in README.md, "Configuration".
          """,
          "serve",
          """
          Usage: greenpledge serve [--config FILE]
          Runs the gateway. With no GP_PG_URL it runs its own embedded PostgreSQL under GP_DATA_DIR,
          the simulator and the demo book, and prints demo links and tokens.
          """,
          "token",
          """
          Usage: greenpledge token --roles ROLE[,ROLE] [--bank BANK] [--sub NAME] [--ttl 8h] [--config FILE]
          Mints a token signed with the gateway's local key (under GP_DATA_DIR) and records it in the
          audit trail before printing it. Roles: viewer, risk-admin, regulator, feed, market-admin.
          """,
          "import",
          """
          Usage: greenpledge import [--instrument ID] [--dry-run] FILE... [--config FILE]
          Loads daily bars or trades (CSV, GBK or UTF-8) into the market history; see README,
          "Loading market history".
          """,
          "audit",
          """
          Usage: greenpledge audit verify [--config FILE]
          Recomputes the audit trail's hash chain and says where it breaks, if it does.
          """);

  static int run(String[] args, PrintStream out) {
    List<String> rest = new ArrayList<>(Arrays.asList(args));
    if (rest.contains("--version") || rest.contains("-V")) {
      out.println("greenpledge " + version());
      return 0;
    }
    boolean help = rest.contains("--help") || rest.contains("-h");
    if (help || (!rest.isEmpty() && rest.get(0).equals("help"))) {
      String topic = rest.isEmpty() || rest.get(0).startsWith("-") ? "" : rest.get(0);
      if (topic.equals("help")) {
        topic = rest.size() > 1 && !rest.get(1).startsWith("-") ? rest.get(1) : "";
      }
      String text = HELP.get(topic);
      if (text == null) {
        throw new IllegalArgumentException(
            "unknown command '" + topic + "'; use serve, token, import or audit");
      }
      out.print(text);
      return 0;
    }
    String command = rest.isEmpty() || rest.get(0).startsWith("--") ? "serve" : rest.remove(0);
    if (command.equals("import") || command.equals("audit")) {
      return history(command, rest, out);
    }
    Map<String, String> options = options(rest);
    Settings settings =
        SettingsLoader.load(
            Optional.ofNullable(options.remove("config")).map(Path::of), System.getenv());
    return switch (command) {
      case "serve" -> serve(settings, options, out);
      case "token" -> {
        try {
          yield token(settings, options, out);
        } catch (IllegalArgumentException | SettingsException e) {
          throw e;
        } catch (Exception e) {
          System.err.println(
              "greenpledge: token not issued, it could not be recorded in the audit trail: "
                  + (e.getMessage() == null ? e : e.getMessage()));
          yield 1;
        }
      }
      default ->
          throw new IllegalArgumentException(
              "unknown command '" + command + "'; use serve, token, import or audit");
    };
  }

  /**
   * {@code import …}: its own arguments (files, flags); {@code --config FILE} as for every command.
   */
  private static int history(String command, List<String> args, PrintStream out) {
    Optional<Path> config = Optional.empty();
    int at = args.indexOf("--config");
    if (at >= 0) {
      if (at + 1 >= args.size()) {
        throw new IllegalArgumentException("--config needs a file");
      }
      config = Optional.of(Path.of(args.get(at + 1)));
      args.subList(at, at + 2).clear();
    }
    Settings settings = SettingsLoader.load(config, System.getenv());
    try {
      return command.equals("audit")
          ? new AuditCommand(settings, out).run(args)
          : new HistoryCommand(settings, out).run(args);
    } catch (IllegalArgumentException | SettingsException e) {
      throw e;
    } catch (Exception e) {
      System.err.println(
          "greenpledge: " + command + " failed: " + (e.getMessage() == null ? e : e.getMessage()));
      return 1;
    }
  }

  private static int serve(Settings settings, Map<String, String> options, PrintStream out) {
    rejectUnknown(options);
    Gateway gateway;
    try {
      gateway = Gateway.start(settings);
    } catch (SettingsException e) {
      throw e;
    } catch (Exception e) {
      Throwable cause = e.getCause() instanceof SettingsException s ? s : e;
      if (cause instanceof SettingsException s) {
        throw s;
      }
      System.err.println(
          "greenpledge: could not start: "
              + (cause.getMessage() == null ? cause.toString() : cause.getMessage()));
      return 1;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(gateway::close, "greenpledge-shutdown"));
    if (settings.demo() && gateway.authentication().canMint()) {
      printDemo(gateway, out);
    }
    return waitForever();
  }

  private static void printDemo(Gateway gateway, PrintStream out) {
    Authentication auth = gateway.authentication();
    Duration ttl = gateway.settings().jwt().defaultTtl();
    String base = "http://localhost:" + gateway.httpPort();
    List<AuditLog.Draft> minted = new ArrayList<>();
    java.time.Instant until = java.time.Instant.now().plus(ttl);
    java.util.function.BiFunction<
            String, Optional<String>, java.util.function.Function<List<String>, String>>
        mint =
            (subject, bank) ->
                roles -> {
                  String token = auth.mint(subject, bank, roles, ttl);
                  minted.add(MintedToken.draft(token, subject, bank, roles, until));
                  return token;
                };
    String viewer = mint.apply("demo-viewer-a", Optional.of("DEMO-A")).apply(List.of("viewer"));
    String admin =
        mint.apply("demo-admin-a", Optional.of("DEMO-A")).apply(List.of("viewer", "risk-admin"));
    String regulator = mint.apply("demo-regulator", Optional.empty()).apply(List.of("regulator"));
    String feed = mint.apply("demo-connector", Optional.empty()).apply(List.of("feed"));
    try {
      CommandDatabase.await(gateway.audit(AuditLog.Actor.system("demo"), minted));
    } catch (Exception e) {
      throw new IllegalStateException(
          "the demo tokens could not be recorded in the audit trail", e);
    }
    out.println();
    out.println("GreenPledge Gateway (demo) on " + base);
    out.println("  DEMO-A viewer:     " + viewer);
    out.println("  DEMO-A risk-admin: " + admin);
    out.println("  regulator:         " + regulator);
    out.println("  feed connector:    " + feed);
    out.println("  dashboard (DEMO-A viewer): " + base + "/#token=" + viewer);
    out.println("  try: curl -s -H \"Authorization: Bearer $TOKEN\" " + base + "/api/v1/prices");
    out.println();
  }

  private static int waitForever() {
    try {
      Thread.currentThread().join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  private static int token(Settings settings, Map<String, String> options, PrintStream out)
      throws Exception {
    String bank = options.remove("bank");
    String roles = options.remove("roles");
    Duration ttl =
        Optional.ofNullable(options.remove("ttl"))
            .map(Main::ttl)
            .orElse(settings.jwt().defaultTtl());
    String subject =
        Optional.ofNullable(options.remove("sub")).orElse("cli-" + (bank == null ? "user" : bank));
    rejectUnknown(options);
    if (roles == null) {
      throw new IllegalArgumentException(
          "token needs --roles (viewer, risk-admin, regulator, feed)");
    }
    List<String> roleList =
        Arrays.stream(roles.split(",")).map(String::trim).filter(r -> !r.isEmpty()).toList();
    for (String role : roleList) {
      Role parsed =
          Role.fromClaim(role)
              .orElseThrow(() -> new IllegalArgumentException("unknown role '" + role + "'"));
      if (parsed.bankBound() && bank == null) {
        throw new IllegalArgumentException("role " + role + " needs --bank");
      }
    }
    if (!settings.jwt().usesLocalKey()) {
      throw new IllegalArgumentException(
          "tokens come from the identity provider when GP_JWT_PUBLIC_KEYS or GP_JWT_JWKS_URL is set");
    }
    LocalKeys keys = LocalKeys.loadOrCreate(settings.store().dataDir());
    Vertx vertx = Vertx.vertx();
    String token;
    try {
      token =
          Authentication.local(vertx, settings.jwt(), keys)
              .mint(subject, Optional.ofNullable(bank), roleList, ttl);
    } finally {
      vertx.close();
    }
    // Recorded before it is handed out: a token nobody can trace is never printed.
    AuditLog.Draft draft =
        MintedToken.draft(
            token, subject, Optional.ofNullable(bank), roleList, java.time.Instant.now().plus(ttl));
    AuditLog.Actor actor =
        new AuditLog.Actor("cli:" + System.getProperty("user.name", "unknown"), "-", "local");
    CommandDatabase.with(
        settings,
        Optional.empty(),
        pool -> {
          CommandDatabase.await(pool.withTransaction(c -> AuditLog.append(c, actor, draft)));
          return 0;
        });
    out.println(token);
    return 0;
  }

  private static Duration ttl(String raw) {
    try {
      return SettingsLoader.parseDuration(raw);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "--ttl must be a duration like 30m, 8h or 7d, was '" + raw + "'");
    }
  }

  /** The build's version (from the filtered resource), or "development" without one. */
  static String version() {
    try (java.io.InputStream in =
        Main.class.getResourceAsStream("/greenpledge-version.properties")) {
      if (in == null) {
        return "development";
      }
      java.util.Properties properties = new java.util.Properties();
      properties.load(in);
      return properties.getProperty("version", "development");
    } catch (java.io.IOException e) {
      return "development";
    }
  }

  private static Map<String, String> options(List<String> args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (!arg.startsWith("--") || i + 1 >= args.size()) {
        throw new IllegalArgumentException("expected --option value, got '" + arg + "'");
      }
      options.put(arg.substring(2), args.get(++i));
    }
    return options;
  }

  private static void rejectUnknown(Map<String, String> options) {
    if (!options.isEmpty()) {
      throw new IllegalArgumentException("unknown option(s) " + options.keySet());
    }
  }
}

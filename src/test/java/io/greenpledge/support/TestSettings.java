package io.greenpledge.support;

import io.greenpledge.config.Settings;
import io.greenpledge.config.SettingsLoader;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Settings for a test gateway: a fresh database, an ephemeral port, overrides as GP_* pairs. */
public final class TestSettings {

  /** The local issuer's JWT settings: tokens of an hour at most, refresh within a week. */
  public static final Settings.Jwt LOCAL_JWT =
      new Settings.Jwt(
          "greenpledge-local",
          "greenpledge-gateway",
          java.util.List.of(),
          Optional.empty(),
          java.time.Duration.ofHours(1),
          java.time.Duration.ofDays(7));

  private TestSettings() {}

  public static Settings with(Path dataDir, String... keyValues) {
    Map<String, String> env = new HashMap<>();
    env.put("GP_HTTP_PORT", "0");
    env.put("GP_HTTP_HOST", "127.0.0.1");
    env.put("GP_MANAGEMENT_PORT", "0");
    env.put("GP_DATA_DIR", dataDir.toString());
    env.put("GP_PG_URL", TestDatabase.freshUrl());
    for (int i = 0; i < keyValues.length; i += 2) {
      env.put(keyValues[i], keyValues[i + 1]);
    }
    env.values().removeIf(v -> v == null);
    return SettingsLoader.load(Optional.empty(), env);
  }
}

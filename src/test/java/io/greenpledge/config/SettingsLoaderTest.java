package io.greenpledge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.greenpledge.market.MarkBasis;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsLoaderTest {

  @TempDir
  Path dir;

  @Test
  void defaultsRunTheEmbeddedDemo() {
    Settings settings = SettingsLoader.load(Optional.empty(), Map.of());
    assertEquals(8080, settings.httpPort());
    assertTrue(settings.embeddedDatabase());
    assertTrue(settings.demo());
    assertEquals(Set.of(Settings.Feed.SIMULATOR, Settings.Feed.INGEST), settings.feeds());
    assertEquals(MarkBasis.CONSERVATIVE, settings.markBasis());
    assertTrue(settings.jwt().usesLocalKey());
  }

  @Test
  void environmentOverridesTheConfigFile() throws IOException {
    Path file = dir.resolve("gateway.properties");
    Files.writeString(file, "GP_HTTP_PORT=9000\nGP_MARK_BASIS=last\nGP_JWT_TTL=30m\n");
    Settings settings = SettingsLoader.load(Optional.of(file), Map.of("GP_HTTP_PORT", "9100", "PATH", "/bin"));
    assertEquals(9100, settings.httpPort());
    assertEquals(MarkBasis.LAST, settings.markBasis());
    assertEquals(Duration.ofMinutes(30), settings.jwt().defaultTtl());
  }

  @Test
  void externalDatabaseTurnsTheDemoOffUnlessAsked() {
    Settings settings = SettingsLoader.load(Optional.empty(), Map.of("GP_PG_URL", "postgresql://gp:secret@db:5432/gp"));
    assertFalse(settings.embeddedDatabase());
    assertFalse(settings.demo());
  }

  @Test
  void wrongValuesNameTheSetting() {
    assertMessage("GP_HTTP_PORT", Map.of("GP_HTTP_PORT", "eighty"));
    assertMessage("GP_HTTP_PORT", Map.of("GP_HTTP_PORT", "70000"));
    assertMessage("GP_FEEDS", Map.of("GP_FEEDS", "simulator,bloomberg"));
    assertMessage("GP_MARK_BASIS", Map.of("GP_MARK_BASIS", "median"));
    assertMessage("GP_MARK_BASIS", Map.of("GP_MARK_BASIS", "reference"));
    assertMessage("GP_PG_URL", Map.of("GP_PG_URL", "mysql://db/gp"));
    assertMessage("GP_DEMO", Map.of("GP_DEMO", "maybe"));
    assertMessage("GP_JOURNAL_MAX_BATCH", Map.of("GP_JOURNAL_MAX_BATCH", "many"));
    assertMessage("GP_REPLAY_FILE", Map.of("GP_FEEDS", "replay"));
    assertMessage("GP_HTTP_PROT", Map.of("GP_HTTP_PROT", "8080"));
  }

  @Test
  void aPasswordInAWrongUrlIsNeverEchoed() {
    SettingsException e = assertThrows(SettingsException.class,
        () -> SettingsLoader.load(Optional.empty(), Map.of("GP_PG_URL", "postgresql://gp:hunter2@/gp")));
    assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
  }

  private static void assertMessage(String setting, Map<String, String> env) {
    SettingsException e = assertThrows(SettingsException.class, () -> SettingsLoader.load(Optional.empty(), env));
    assertTrue(e.getMessage().contains(setting), e.getMessage());
  }
}

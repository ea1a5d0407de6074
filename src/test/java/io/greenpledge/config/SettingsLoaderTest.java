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

  @TempDir Path dir;

  @Test
  void defaultsRunTheEmbeddedDemo() {
    Settings settings = SettingsLoader.load(Optional.empty(), Map.of());
    assertEquals(8080, settings.http().port());
    assertTrue(settings.embeddedDatabase());
    assertTrue(settings.demo());
    assertEquals(Set.of(Settings.Feed.SIMULATOR, Settings.Feed.INGEST), settings.feeds().enabled());
    assertEquals(MarkBasis.CONSERVATIVE, settings.market().markBasis());
    assertTrue(settings.jwt().usesLocalKey());
    assertEquals(Settings.Transport.NATIVE, settings.http().transport());
    assertEquals(
        Settings.Transport.NIO,
        SettingsLoader.load(Optional.empty(), Map.of("GP_NATIVE_TRANSPORT", "false"))
            .http()
            .transport());
    assertEquals(
        Settings.Transport.EPOLL,
        SettingsLoader.load(Optional.empty(), Map.of("GP_NATIVE_TRANSPORT", "Epoll"))
            .http()
            .transport());
    assertEquals(2, settings.store().journalWriters());
    assertEquals(33, settings.push().loopShare());
    assertEquals(
        20,
        SettingsLoader.load(Optional.empty(), Map.of("GP_WS_LOOP_SHARE", "20")).push().loopShare());
    assertEquals(
        1,
        SettingsLoader.load(Optional.empty(), Map.of("GP_JOURNAL_WRITERS", "1"))
            .store()
            .journalWriters());
  }

  @Test
  void theDeskSocketLimitsAreReadIntoTheirOwnFields() {
    Settings.Push push =
        SettingsLoader.load(
                Optional.empty(),
                Map.of(
                    "GP_WS_MAX_SUBSCRIPTIONS", "5",
                    "GP_WS_FRAMES_PER_SECOND", "6",
                    "GP_WS_MAX_VALUATIONS", "7"))
            .push();
    assertEquals(5, push.maxSubscriptions());
    assertEquals(6, push.framesPerSecond());
    assertEquals(7, push.maxValuations());
  }

  @Test
  void environmentOverridesTheConfigFile() throws IOException {
    Path file = dir.resolve("gateway.properties");
    Files.writeString(file, "GP_HTTP_PORT=9000\nGP_MARK_BASIS=last\nGP_JWT_TTL=30m\n");
    Settings settings =
        SettingsLoader.load(Optional.of(file), Map.of("GP_HTTP_PORT", "9100", "PATH", "/bin"));
    assertEquals(9100, settings.http().port());
    assertEquals(MarkBasis.LAST, settings.market().markBasis());
    assertEquals(Duration.ofMinutes(30), settings.jwt().defaultTtl());
  }

  @Test
  void aConfigFileWithAByteOrderMarkAndLiteralBackslashesIsRead() throws IOException {
    Path file = dir.resolve("bom.conf");
    Files.write(
        file,
        concat(
            new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
            "# Windows editor\r\nGP_HTTP_PORT=9000\r\nGP_FEEDS=replay\r\nGP_REPLAY_FILE=C:\\data\\u00zz.csv\r\n"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    Settings settings = SettingsLoader.load(Optional.of(file), Map.of());
    assertEquals(9000, settings.http().port());
    assertEquals("C:\\data\\u00zz.csv", settings.feeds().replayFile().orElseThrow().toString());
  }

  @Test
  void configFileProblemsNameTheFileAndTheLine() throws IOException {
    Path file = dir.resolve("bad.conf");
    Files.writeString(file, "GP_HTTP_PORT=9000\nGP_DEMO false\n");
    assertFileMessage(file, "bad.conf line 2: expected GP_NAME=value");
    Files.write(
        file,
        concat(
            "GP_HTTP_PORT=9000\n# ok\nGP_SIM_SEED="
                .getBytes(java.nio.charset.StandardCharsets.UTF_8),
            new byte[] {(byte) 0xC3, (byte) 0x28, '\n'}));
    assertFileMessage(file, "bad.conf line 3 is not valid UTF-8");
    Files.write(file, new byte[] {(byte) 0xFF, (byte) 0xFE, 'G', 0});
    assertFileMessage(file, "is UTF-16");
    Files.writeString(file, "\nGP_HTTP_PROT=9000\n");
    assertFileMessage(file, "bad.conf line 2");
  }

  private static void assertFileMessage(Path file, String expected) {
    SettingsException e =
        assertThrows(
            SettingsException.class, () -> SettingsLoader.load(Optional.of(file), Map.of()));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }

  @Test
  void externalDatabaseTurnsTheDemoOffUnlessAsked() {
    Settings settings =
        SettingsLoader.load(
            Optional.empty(), Map.of("GP_PG_URL", "postgresql://gp:secret@db:5432/gp"));
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
    assertMessage("GP_NATIVE_TRANSPORT", Map.of("GP_NATIVE_TRANSPORT", "kqueue"));
    assertMessage("GP_JOURNAL_MAX_BATCH", Map.of("GP_JOURNAL_MAX_BATCH", "many"));
    assertMessage("GP_JOURNAL_WRITERS", Map.of("GP_JOURNAL_WRITERS", "5"));
    assertMessage("GP_WS_LOOP_SHARE", Map.of("GP_WS_LOOP_SHARE", "60"));
    assertMessage("GP_WS_LOOP_SHARE", Map.of("GP_WS_LOOP_SHARE", "a third"));
    assertMessage("GP_REPLAY_FILE", Map.of("GP_FEEDS", "replay"));
    assertMessage("GP_HTTP_PROT", Map.of("GP_HTTP_PROT", "8080"));
  }

  @Test
  void aPasswordInAWrongUrlIsNeverEchoed() {
    SettingsException e =
        assertThrows(
            SettingsException.class,
            () ->
                SettingsLoader.load(
                    Optional.empty(), Map.of("GP_PG_URL", "postgresql://gp:hunter2@/gp")));
    assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
  }

  private static void assertMessage(String setting, Map<String, String> env) {
    SettingsException e =
        assertThrows(SettingsException.class, () -> SettingsLoader.load(Optional.empty(), env));
    assertTrue(e.getMessage().contains(setting), e.getMessage());
  }
}

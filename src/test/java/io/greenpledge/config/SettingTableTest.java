package io.greenpledge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The settings table is the one source: README shows it as generated, and every default loads. */
class SettingTableTest {

  private static final String START =
      "<!-- settings:start (generated from config/Setting.java) -->\n";
  private static final String END = "<!-- settings:end -->";

  @Test
  void readmeShowsTheSettingsTableAsGenerated() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    int start = readme.indexOf(START);
    int end = readme.indexOf(END);
    assertTrue(start >= 0 && end > start, "README has the settings markers");
    assertEquals(
        Setting.markdownTable(),
        readme.substring(start + START.length(), end),
        "README's settings table differs from config/Setting.java; paste Setting.markdownTable() between the markers");
  }

  @Test
  void everyDefaultInTheTableIsAValidValue() {
    Map<String, String> explicit = new java.util.HashMap<>();
    Arrays.stream(Setting.values())
        .forEach(s -> s.defaultValue().ifPresent(v -> explicit.put(s.key(), v)));
    assertEquals(
        SettingsLoader.load(Optional.empty(), Map.of()),
        SettingsLoader.load(Optional.empty(), explicit));
  }

  @Test
  void theLoaderKnowsExactlyTheKeysOfTheTable() {
    assertEquals(Setting.values().length, SettingsLoader.KNOWN.size());
    Arrays.stream(Setting.values())
        .forEach(s -> assertTrue(SettingsLoader.KNOWN.contains(s.key()), s.key()));
  }
}

package io.greenpledge.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IsoInstantTest {

  @Test
  void readsWhatJavaTimeReadsAndRefusesWhatItRefuses() {
    List<String> accepted =
        List.of(
            "2026-11-27T10:15:30Z",
            "2026-11-27T10:15:30.1Z",
            "2026-11-27T10:15:30.123456789Z",
            "2026-11-27T10:15:30.123+08:00",
            "2026-11-27T02:15:30-05:30",
            "2024-02-29T23:59:59.999Z",
            "2026-11-27t10:15:30z",
            "2026-11-27T10:15Z",
            "2026-11-27T10:15:30+08:00:00",
            "2026-11-27T10:15:30.Z");
    for (String text : accepted) {
      assertEquals(OffsetDateTime.parse(text).toInstant(), IsoInstant.parse(text), text);
    }
    List<String> refused =
        List.of(
            "2026-13-27T10:15:30Z",
            "2026-02-30T10:15:30Z",
            "2026-11-27T24:00:00Z",
            "2026-11-27T10:15:60Z",
            "2026-11-27T10:15:30",
            "2026-11-27T10:15:30+19:00",
            "2026-11-27T10:15:30.1234567890Z",
            "2026-11-27 10:15:30Z",
            "２026-11-27T10:15:30Z",
            "");
    for (String text : refused) {
      assertThrows(DateTimeParseException.class, () -> OffsetDateTime.parse(text), text);
      assertThrows(DateTimeParseException.class, () -> IsoInstant.parse(text), text);
    }
  }

  @Test
  void agreesWithJavaTimeOnRandomInstantsAndOffsets() {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 20_000; i++) {
      Instant instant =
          Instant.ofEpochSecond(random.nextLong(0, 4_102_444_800L), random.nextInt(1_000_000_000));
      ZoneOffset offset = ZoneOffset.ofTotalSeconds(random.nextInt(-18 * 60, 18 * 60 + 1) * 60);
      String text = OffsetDateTime.ofInstant(instant, offset).toString();
      assertEquals(instant, IsoInstant.parse(text), text);
    }
  }
}

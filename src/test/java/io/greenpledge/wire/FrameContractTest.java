package io.greenpledge.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.greenpledge.support.FrameContract;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The golden frames are messages of the AsyncAPI contract; a wrong frame is not. */
class FrameContractTest {

  @Test
  void everyGoldenFrameIsAMessageOfTheContract() throws Exception {
    List<String> desk =
        List.of(
            "frame-authenticated",
            "frame-error",
            "frame-heartbeat",
            "frame-pong",
            "frame-snapshot",
            "frame-snapshot-alerts",
            "frame-unsubscribed",
            "frame-update");
    for (String name : desk) {
      assertNull(FrameContract.violation("/ws", golden(name)), name);
    }
    for (String name : List.of("frame-ack", "frame-ingest-error", "frame-pong")) {
      assertNull(FrameContract.violation("/ws/ingest", golden(name)), name);
    }
  }

  @Test
  void aFrameOutsideTheContractIsNamed() throws Exception {
    assertNotNull(FrameContract.violation("/ws", new JsonObject().put("type", "surprise")));
    // an update without items
    JsonObject update = golden("frame-update");
    update.remove("items");
    assertNotNull(FrameContract.violation("/ws", update));
    // an ack is not a desk's frame
    assertNotNull(FrameContract.violation("/ws", golden("frame-ack")));
    assertEquals(null, FrameContract.violation("/elsewhere", new JsonObject()));
  }

  private static JsonObject golden(String name) throws Exception {
    return new JsonObject(Files.readString(Path.of("src/test/resources/golden", name + ".json")));
  }
}

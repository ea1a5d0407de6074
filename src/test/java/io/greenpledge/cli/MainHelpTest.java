package io.greenpledge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The command line answers help and version, for itself and for each command, and starts nothing.
 */
class MainHelpTest {

  private static String run(String... args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Method run =
        Class.forName("io.greenpledge.Main")
            .getDeclaredMethod("run", String[].class, PrintStream.class);
    run.setAccessible(true);
    int exit = (int) run.invoke(null, args, new PrintStream(out, true, StandardCharsets.UTF_8));
    assertEquals(0, exit);
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void helpAndVersionAnswerWithoutStartingAnything() throws Exception {
    for (String flag : new String[] {"--help", "-h", "help"}) {
      String text = run(flag);
      assertTrue(text.startsWith("Usage: greenpledge"), text);
      assertTrue(text.contains("serve") && text.contains("token") && text.contains("--version"));
    }
    assertTrue(run("token", "--help").contains("--roles"));
    assertTrue(run("help", "token").contains("--roles"));
    assertTrue(run("serve", "-h").contains("embedded PostgreSQL"));
    assertTrue(run("import", "--help").contains("--instrument"));
    assertTrue(run("audit", "--help").contains("verify"));
    assertTrue(run("--version").matches("greenpledge \\d+\\.\\d+\\.\\d+.*\\s*"), run("--version"));
    assertEquals(run("--version"), run("-V"));
  }

  @Test
  void helpForAnUnknownCommandSaysWhichExist() {
    Exception e = assertThrows(Exception.class, () -> run("help", "launch"));
    assertTrue(String.valueOf(e.getCause().getMessage()).contains("serve, token, import or audit"));
  }
}

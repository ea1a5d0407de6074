package io.greenpledge;

import io.greenpledge.config.Settings;
import io.greenpledge.store.AuditLog;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code audit verify}: recomputes the audit trail's hash chain and says whether it is intact, and
 * its head (the hash to anchor elsewhere, e.g. in the bank's own log, so a cut tail shows too).
 * Exit 0 when intact, 4 when broken (with the first entry that does not hold).
 */
final class AuditCommand {

  private final Settings settings;
  private final PrintStream out;

  AuditCommand(Settings settings, PrintStream out) {
    this.settings = settings;
    this.out = out;
  }

  int run(List<String> args) throws Exception {
    if (!args.equals(List.of("verify"))) {
      throw new IllegalArgumentException("usage: audit verify");
    }
    // Reads only: beside a running gateway it joins that gateway's embedded server.
    return CommandDatabase.with(
        settings,
        java.util.Optional.empty(),
        pool -> {
          AuditLog.Verdict verdict = CommandDatabase.await(new AuditLog(pool).verify());
          if (verdict.intact()) {
            out.println(
                "audit trail intact: " + verdict.entries() + " entries, head " + verdict.head());
            return 0;
          }
          out.println(
              "audit trail BROKEN at entry #"
                  + verdict.brokenAt().get()
                  + ": "
                  + verdict.reason()
                  + " ("
                  + verdict.entries()
                  + " entries before it hold, last good hash "
                  + verdict.head()
                  + ")");
          return 4;
        });
  }
}

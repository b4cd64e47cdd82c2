package org.authmill.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.authmill.keys.KeyRing;
import org.authmill.keys.ManagedKey;
import org.authmill.keys.NextStep;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code authmill keys status}: every managed key, its state, what comes next and when. {@code
 * --json} prints {@code {"keys": [{"domain", "selector", "algorithm", "state", "published",
 * "next_step", "next_at", "reason"}]}} ({@code published} and {@code next_at} as ISO 8601 instants
 * or null).
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Show every managed key, its state, and what comes next and when.")
final class KeysStatusCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin KeysStateOptions state;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Option(names = "--all", description = "Also list removed keys.")
  boolean all;

  /** When the next step is due: its time, now, or the operator's move. */
  private static Object when(Map<String, Object> row) {
    Object step = row.get("next_step");
    if (step == null) {
      return "-";
    }
    if (row.get("next_at") != null) {
      return row.get("next_at");
    }
    return step.toString().startsWith("confirm") ? "(you)" : "now";
  }

  @Override
  public Integer call() {
    KeyRing ring = state.store().read();
    PrintWriter out = spec.commandLine().getOut();
    List<Map<String, Object>> rows = new ArrayList<>();
    for (ManagedKey k : ring.keys()) {
      if (!all && !json && k.state() == org.authmill.keys.KeyState.REMOVED) {
        continue;
      }
      NextStep next = ring.nextStep(k);
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("domain", k.domain());
      row.put("selector", k.selector());
      row.put("algorithm", k.algorithm().keyword());
      row.put("state", k.state().keyword());
      row.put("published", k.published().map(Instant::toString).orElse(null));
      row.put("next_step", next.step().orElse(null));
      row.put("next_at", next.at().map(Instant::toString).orElse(null));
      row.put("reason", k.reason().orElse(null));
      rows.add(row);
    }
    if (json) {
      Map<String, Object> object = new LinkedHashMap<>();
      object.put("keys", rows);
      out.println(Json.write(object));
    } else if (rows.isEmpty()) {
      out.println("no managed keys under " + state.store().directory());
    } else {
      out.printf(
          "%-24s %-28s %-8s %-16s %-16s %s%n",
          "DOMAIN", "SELECTOR", "ALG", "STATE", "NEXT", "WHEN");
      for (Map<String, Object> r : rows) {
        out.printf(
            "%-24s %-28s %-8s %-16s %-16s %s%n",
            r.get("domain"),
            r.get("selector"),
            r.get("algorithm"),
            r.get("state"),
            r.get("next_step") == null ? "-" : r.get("next_step"),
            when(r));
        if (r.get("reason") != null) {
          out.println("    " + r.get("reason").toString().replace("\n", "\n    "));
        }
      }
    }
    out.flush();
    return ExitCodes.PASS;
  }
}

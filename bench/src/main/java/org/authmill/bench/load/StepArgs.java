package org.authmill.bench.load;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The command-line options of the phase-2 steps: {@code --name value} pairs and bare flags such as
 * {@code --quick}. An unknown option or a missing value is an error that names it.
 */
final class StepArgs {
  private final Map<String, String> values = new HashMap<>();

  private StepArgs() {}

  /** Parses {@code args}: options that take a value are listed in {@code valued}. */
  static StepArgs parse(String[] args, java.util.Set<String> valued, java.util.Set<String> flags) {
    StepArgs out = new StepArgs();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (flags.contains(a)) {
        out.values.put(a, "true");
      } else if (valued.contains(a)) {
        if (i + 1 == args.length) {
          throw new IllegalArgumentException(a + " needs a value");
        }
        out.values.put(a, args[++i]);
      } else {
        throw new IllegalArgumentException(
            "unknown option " + a + " (options: " + valued + " with a value, " + flags + ")");
      }
    }
    return out;
  }

  boolean flag(String name) {
    return values.containsKey(name);
  }

  String string(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  Path path(String name) {
    String v = values.get(name);
    if (v == null) {
      throw new IllegalArgumentException(name + " is required");
    }
    return Path.of(v);
  }

  int integer(String name, int fallback) {
    String v = values.get(name);
    if (v == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v);
      if (n < 1) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " needs a positive whole number, got " + v, e);
    }
  }
}

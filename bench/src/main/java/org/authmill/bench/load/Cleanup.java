package org.authmill.bench.load;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Stops the child processes of a step (NSD, OpenDKIM, Postfix, authmill) also when the step's JVM
 * is told to end (SIGTERM from {@code timeout} or Ctrl-C), in the reverse order of their start. A
 * step closes them itself too (try-with-resources); closing twice is harmless for all of them.
 */
final class Cleanup {
  private static final Deque<AutoCloseable> OPEN = new ArrayDeque<>();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(Cleanup::closeAll, "bench-cleanup"));
  }

  private Cleanup() {}

  /** Registers something to close at exit (null: nothing); returns it. */
  static synchronized <T extends AutoCloseable> T register(T resource) {
    if (resource == null) {
      return null;
    }
    OPEN.push(resource);
    return resource;
  }

  private static void closeAll() {
    while (true) {
      AutoCloseable next;
      synchronized (Cleanup.class) {
        next = OPEN.poll();
      }
      if (next == null) {
        return;
      }
      try {
        next.close();
      } catch (Exception | AssertionError e) {
        System.err.println("bench: could not stop " + next + ": " + e);
      }
    }
  }
}

package org.authmill.cli;

import sun.misc.Signal;

/**
 * The one use of the JDK-internal {@code sun.misc.Signal}: running a handler when the process gets
 * a POSIX signal (HUP, TERM, INT), in place of the JVM's default (which for TERM and INT is to
 * exit). The handler runs on the JVM's signal thread: it must return quickly.
 */
final class Signals {
  private Signals() {}

  /**
   * Runs {@code handler} on each {@code name} signal.
   *
   * @param name the signal without "SIG": HUP, TERM, INT
   */
  static void on(String name, Runnable handler) {
    Signal.handle(new Signal(name), signal -> handler.run());
  }
}

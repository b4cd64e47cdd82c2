package org.authmill.dmarc.violation;

import ch.qos.logback.classic.Level;

/** Breaks {@code libraries_useNoLogbackClasses}: a library (dmarc) that uses logback directly. */
public final class DmarcUsesLogback {
  private DmarcUsesLogback() {}

  static Level level() {
    return Level.DEBUG;
  }
}

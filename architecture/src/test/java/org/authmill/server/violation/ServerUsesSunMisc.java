package org.authmill.server.violation;

import sun.misc.Signal;

/** Breaks {@code jdkInternals_usedByOneClassOnly}: a second class that uses {@code sun.misc}. */
public final class ServerUsesSunMisc {
  private ServerUsesSunMisc() {}

  static Signal hangup() {
    return new Signal("HUP");
  }
}

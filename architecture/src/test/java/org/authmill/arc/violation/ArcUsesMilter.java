package org.authmill.arc.violation;

import org.authmill.milter.Decision;

/** Breaks {@code arc_importsNoServerStack}: the ARC library deciding a milter reply. */
public final class ArcUsesMilter {
  private ArcUsesMilter() {}

  static Decision accept() {
    return null;
  }
}

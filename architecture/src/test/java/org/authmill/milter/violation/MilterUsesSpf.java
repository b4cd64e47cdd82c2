package org.authmill.milter.violation;

import org.authmill.spf.SpfResult;

/** Breaks {@code milter_importsNoAuthenticationOrApplication}: the milter protocol using SPF. */
public final class MilterUsesSpf {
  private MilterUsesSpf() {}

  static boolean reject(SpfResult result) {
    return result == SpfResult.FAIL;
  }
}

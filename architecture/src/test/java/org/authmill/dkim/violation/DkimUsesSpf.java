package org.authmill.dkim.violation;

import org.authmill.spf.SpfResult;

/** Breaks {@code engines_importNoOtherEngineButDns}: an engine (dkim) that uses another (spf). */
public final class DkimUsesSpf {
  private DkimUsesSpf() {}

  static boolean passed(SpfResult result) {
    return result == SpfResult.PASS;
  }
}

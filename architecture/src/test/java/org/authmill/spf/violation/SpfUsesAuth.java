package org.authmill.spf.violation;

import org.authmill.auth.results.MethodResult;

/** Breaks {@code engines_neverImportAuthMilterServerOrCli}: an engine (spf) that uses auth. */
public final class SpfUsesAuth {
  private SpfUsesAuth() {}

  static MethodResult clause() {
    return MethodResult.of("spf", "pass");
  }
}

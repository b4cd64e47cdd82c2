package org.authmill.auth.violation;

import io.vertx.core.Future;

/** Breaks {@code auth_importsNoServerStack}: auth that uses Vert.x. */
public final class AuthUsesVertx {
  private AuthUsesVertx() {}

  static Future<String> verdict() {
    return Future.succeededFuture("pass");
  }
}

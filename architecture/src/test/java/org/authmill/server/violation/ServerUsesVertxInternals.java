package org.authmill.server.violation;

import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;

/** Breaks {@code vertxInternals_usedByOneClassOnly}: a second class that uses Vert.x internals. */
public final class ServerUsesVertxInternals {
  private ServerUsesVertxInternals() {}

  static boolean internal(NetSocket socket) {
    return socket instanceof NetSocketInternal;
  }
}

package org.authmill.milter;

import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;

/**
 * The one use of a Vert.x internal API ({@link NetSocketInternal}): closing a connection past the
 * replies still queued for it. A plain {@link NetSocket#close()} (and a close passed down the whole
 * channel pipeline) waits for those to be written, which a peer that stops reading never lets
 * happen: such a peer's connection is closed from Vert.x's own handler towards the socket.
 */
final class ImmediateClose {
  private ImmediateClose() {}

  /** Closes the socket now, dropping what it has not written; a plain close if it cannot. */
  static void close(NetSocket socket) {
    if (socket instanceof NetSocketInternal internal) {
      internal.channelHandlerContext().close();
    } else {
      socket.close();
    }
  }
}

package org.authmill.milter;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.util.ArrayDeque;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport of one milter connection: packets framed by {@link MilterCodec}, queued as they
 * arrive and handed to the command handler one at a time (the queue waits while a handler's future
 * is pending), replies written in order, and the timers that close a stalled peer.
 *
 * <p>Back-pressure: the socket is paused once {@link MilterSettings#maxQueuedBytes()} wait, and
 * while the socket's write queue is full (a peer that does not read our replies). A peer that
 * breaks the framing is closed after the replies already due are flushed ({@link #end()}); one that
 * sends nothing for {@link MilterSettings#idleTimeout()}, whose packet does not arrive whole within
 * {@link MilterSettings#packetTimeout()}, or that leaves our replies unread that long, is closed
 * too. Everything runs on the connection's event loop.
 */
final class SessionTransport {
  private static final Logger LOG = LoggerFactory.getLogger(MilterSession.class);

  private final Vertx vertx;
  private final Context context;
  private final NetSocket socket;
  private final MilterSettings settings;
  private final MilterMetrics metrics;
  private final String id;
  private Function<MilterCommand, Future<Void>> handler;
  private Runnable onClosed;

  private final ArrayDeque<Buffer> queue = new ArrayDeque<>();
  private long queuedBytes;
  private boolean queueFull;
  private boolean writeBlocked;
  private boolean paused;
  private boolean busy;
  private boolean closing;
  private boolean closed;

  // Stall detection: bytes received and framed, when the MTA last sent or was sent something.
  private long receivedBytes;
  private long framedBytes;
  private long packetTimer = -1;
  private long packetTimerFramed;
  private long idleTimer = -1;
  private long stallTimer = -1;
  private long endTimer = -1;
  private long lastActivityNanos = System.nanoTime();

  SessionTransport(
      Vertx vertx, NetSocket socket, MilterSettings settings, MilterMetrics metrics, String id) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.socket = socket;
    this.settings = settings;
    this.metrics = metrics;
    this.id = id;
  }

  /** The event-loop context of the connection. */
  Context context() {
    return context;
  }

  /**
   * Begins reading.
   *
   * @param handler handles one command; the next waits until its future completes (a failed one
   *     ends the connection), and a {@link MilterProtocolException} it throws ends it too
   * @param onClosed called once when the connection is gone
   */
  void start(Function<MilterCommand, Future<Void>> handler, Runnable onClosed) {
    this.handler = handler;
    this.onClosed = onClosed;
    MilterCodec codec = new MilterCodec(settings.maxPacketSize());
    Handler<Buffer> reader = codec.reader(this::enqueue, this::framingError);
    socket.handler(
        bytes -> {
          receivedBytes += bytes.length();
          lastActivityNanos = System.nanoTime();
          reader.handle(bytes);
          watchPacket();
        });
    socket.closeHandler(v -> onSocketClosed());
    socket.exceptionHandler(
        t -> LOG.debug("session {}: socket error: {}", id, String.valueOf(t.getMessage())));
    socket.drainHandler(v -> drained());
    armIdle(settings.idleTimeout().toMillis());
  }

  /** True once the connection is closed. */
  boolean isClosed() {
    return closed;
  }

  /** Closes the connection now, from any thread: the connection's own event loop does it. */
  void close() {
    context.runOnContext(v -> drop());
  }

  /**
   * Ends the connection: nothing more is read or handled, the replies already written are flushed,
   * and the connection closes. A peer that does not read them within the packet timeout is cut off
   * ({@link #drop()}).
   */
  void end() {
    if (closing || closed) {
      return;
    }
    closing = true;
    queue.clear();
    socket.close();
    // Cancelled when the socket closes: a pending timer would keep the whole session reachable
    // for the packet timeout (a minute), and at a thousand sessions a second that is the heap.
    endTimer =
        vertx.setTimer(
            settings.packetTimeout().toMillis(),
            t -> {
              endTimer = -1;
              if (!closed) {
                drop();
              }
            });
  }

  /** Closes the connection at once, past the replies still queued ({@link ImmediateClose}). */
  private void drop() {
    closing = true;
    queue.clear();
    ImmediateClose.close(socket);
  }

  /** Writes a reply, unless the connection is gone. */
  void write(MilterReply reply) {
    if (closed) {
      return;
    }
    socket.write(MilterCodec.encode(reply));
    lastActivityNanos = System.nanoTime();
    if (!writeBlocked && socket.writeQueueFull()) {
      writeQueueFull();
    }
  }

  private void framingError(MilterProtocolException e) {
    if (closing || closed) {
      return;
    }
    LOG.warn("session {}: protocol error, closing: {}", id, e.getMessage());
    metrics.protocolError();
    end();
  }

  private void enqueue(Buffer frame) {
    framedBytes += 4 + frame.length();
    if (closed || closing) {
      return;
    }
    queue.add(frame);
    queuedBytes += frame.length();
    if (!queueFull && queuedBytes > settings.maxQueuedBytes()) {
      queueFull = true;
      updateReading();
    }
    pump();
  }

  private void pump() {
    while (!busy && !closed && !closing && !writeBlocked) {
      Buffer frame = queue.poll();
      if (frame == null) {
        return;
      }
      queuedBytes -= frame.length();
      if (queueFull && queuedBytes <= settings.maxQueuedBytes() / 2) {
        queueFull = false;
        updateReading();
      }
      MilterCommand command;
      try {
        command = MilterCodec.decodeCommand(frame);
      } catch (MilterProtocolException e) {
        framingError(e);
        return;
      }
      Future<Void> done;
      try {
        done = handler.apply(command);
      } catch (MilterProtocolException e) {
        framingError(e);
        return;
      } catch (RuntimeException e) {
        LOG.error("session {}: internal error on {}, closing", id, command, e);
        metrics.protocolError();
        end();
        return;
      }
      if (!done.isComplete()) {
        busy = true;
        done.onComplete(
            ar -> {
              busy = false;
              if (ar.failed()) {
                LOG.error("session {}: internal error, closing", id, ar.cause());
                end();
              }
              pump();
            });
      }
    }
  }

  /**
   * Reads from the socket only while the queue has room and the MTA reads our replies: neither a
   * fast writer nor a peer that stops reading can make the session buffer without bound.
   */
  private void updateReading() {
    boolean pause = queueFull || writeBlocked;
    if (pause == paused || closed) {
      return;
    }
    paused = pause;
    if (pause) {
      socket.pause();
    } else {
      socket.resume();
    }
    watchPacket();
  }

  /**
   * Keeps the packet timer: armed when a packet has begun but not yet arrived whole while the
   * session reads, restarted for each new packet, stopped while reading is paused.
   */
  private void watchPacket() {
    if (closed || closing) {
      cancelPacketTimer();
      return;
    }
    boolean partial = receivedBytes > framedBytes;
    if (!partial || paused) {
      cancelPacketTimer();
      return;
    }
    if (packetTimer >= 0 && packetTimerFramed == framedBytes) {
      return; // the same packet is still on its way
    }
    cancelPacketTimer();
    packetTimerFramed = framedBytes;
    long millis = settings.packetTimeout().toMillis();
    packetTimer =
        vertx.setTimer(
            millis,
            t -> {
              packetTimer = -1;
              if (!closed) {
                LOG.warn(
                    "session {}: a packet did not arrive whole within the packet timeout of {} ms"
                        + " ({} bytes of it came); closing",
                    id,
                    millis,
                    receivedBytes - framedBytes);
                metrics.timeout("packet");
                end();
              }
            });
  }

  private void cancelPacketTimer() {
    if (packetTimer >= 0) {
      vertx.cancelTimer(packetTimer);
      packetTimer = -1;
    }
  }

  private void armIdle(long millis) {
    idleTimer = vertx.setTimer(Math.max(1, millis), t -> checkIdle());
  }

  /** Closes a session the MTA has sent nothing on, nor been sent anything, for the idle timeout. */
  private void checkIdle() {
    idleTimer = -1;
    if (closed || closing) {
      return; // ending already, with its own bound
    }
    long limit = settings.idleTimeout().toMillis();
    if (busy || !queue.isEmpty() || paused) {
      // The MTA waits for us (or we for it to read): not idle; the deadlines cover that time.
      lastActivityNanos = System.nanoTime();
      armIdle(limit);
      return;
    }
    long quiet = (System.nanoTime() - lastActivityNanos) / 1_000_000;
    if (quiet >= limit) {
      LOG.warn(
          "session {}: nothing from the MTA for {} ms (idle timeout {} ms); closing",
          id,
          quiet,
          limit);
      metrics.timeout("idle");
      end();
      return;
    }
    armIdle(limit - quiet);
  }

  /** The socket's write queue is full: stop reading and handling until the MTA reads. */
  private void writeQueueFull() {
    writeBlocked = true;
    updateReading();
    long millis = settings.packetTimeout().toMillis();
    stallTimer =
        vertx.setTimer(
            millis,
            t -> {
              stallTimer = -1;
              if (writeBlocked && !closed) {
                LOG.warn(
                    "session {}: the MTA has not read our replies for {} ms (packet timeout);"
                        + " closing",
                    id,
                    millis);
                metrics.timeout("write");
                drop();
              }
            });
  }

  private void drained() {
    if (!writeBlocked || closed) {
      return;
    }
    writeBlocked = false;
    if (stallTimer >= 0) {
      vertx.cancelTimer(stallTimer);
      stallTimer = -1;
    }
    updateReading();
    pump();
  }

  private void onSocketClosed() {
    if (closed) {
      return;
    }
    closed = true;
    queue.clear();
    cancelPacketTimer();
    if (idleTimer >= 0) {
      vertx.cancelTimer(idleTimer);
      idleTimer = -1;
    }
    if (stallTimer >= 0) {
      vertx.cancelTimer(stallTimer);
      stallTimer = -1;
    }
    if (endTimer >= 0) {
      vertx.cancelTimer(endTimer);
      endTimer = -1;
    }
    onClosed.run();
  }
}

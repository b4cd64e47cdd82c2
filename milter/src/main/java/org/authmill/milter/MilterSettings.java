package org.authmill.milter;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The bounds and fallbacks of milter sessions. Each is named, configurable and checked.
 *
 * @param maxPacketSize the largest packet accepted, in bytes; a larger length closes the connection
 *     before anything is allocated for it
 * @param handlerDeadline how long one filter callback may take before the session gives up on it
 *     and applies {@code errorAction}: keep it well below Postfix's {@code milter_command_timeout}
 *     (30 s) so the MTA never times out on us
 * @param progressInterval how often to send PROGRESS while end-of-message work is pending, which
 *     resets the MTA's timer
 * @param errorAction what a message gets when its filter failed or timed out, or a limit was
 *     exceeded: deliver it unchanged ({@link ErrorAction#ACCEPT}) or defer it
 * @param maxHeaders the most header fields per message passed to the filter
 * @param maxHeaderBytes the most bytes of header fields (names and values) per message
 * @param maxQueuedBytes how many bytes of received packets may wait for the filter before the
 *     socket is paused (back-pressure on the MTA)
 * @param requestMacros macro names to ask the MTA for, per stage ({@link
 *     MilterProtocol#STAGE_CONNECT}...); empty: the MTA's defaults
 * @param idleTimeout how long a session may wait for the MTA's next packet before it is closed as
 *     stalled (time spent in a filter callback, or paused by back-pressure, does not count): keep
 *     it above the MTA's own idle limits (Postfix's {@code smtpd_timeout}, 300 s; libmilter uses
 *     7210 s)
 * @param packetTimeout how long a packet may take to arrive whole once its first byte came, and how
 *     long replies the MTA does not read may wait: a peer that trickles bytes or stops reading is
 *     closed after this
 */
public record MilterSettings(
    int maxPacketSize,
    Duration handlerDeadline,
    Duration progressInterval,
    ErrorAction errorAction,
    int maxHeaders,
    int maxHeaderBytes,
    int maxQueuedBytes,
    Map<Integer, String> requestMacros,
    Duration idleTimeout,
    Duration packetTimeout) {

  /** What to do with a message when the filter cannot decide. */
  public enum ErrorAction {
    /** Deliver it unchanged (never lose mail on the filter's account). */
    ACCEPT,
    /** Defer it: the MTA answers 451 4.7.1 and the client retries. */
    TEMPFAIL
  }

  /** The smallest {@link #maxPacketSize()}: a whole body chunk (65535 bytes) and its command. */
  public static final int MIN_PACKET_SIZE = MilterProtocol.MAX_BODY_CHUNK + 1;

  /** The largest {@link #maxPacketSize()}: 64 MiB. */
  public static final int MAX_PACKET_SIZE = 64 << 20;

  /** The default {@link #maxPacketSize()}: 1 MiB (Postfix's headers may reach 100 KiB). */
  public static final int DEFAULT_PACKET_SIZE = 1 << 20;

  /** The default {@link #idleTimeout()}: two hours, as libmilter's 7210 s. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofHours(2);

  /** The default {@link #packetTimeout()}: one minute. */
  public static final Duration DEFAULT_PACKET_TIMEOUT = Duration.ofMinutes(1);

  /**
   * The defaults: 1 MiB packets, 20 s deadline, progress every 5 s, accept on error, 2 h idle, 60 s
   * per packet.
   */
  public static final MilterSettings DEFAULTS =
      new MilterSettings(
          DEFAULT_PACKET_SIZE,
          Duration.ofSeconds(20),
          Duration.ofSeconds(5),
          ErrorAction.ACCEPT,
          1000,
          1 << 20,
          1 << 20,
          Map.of(),
          DEFAULT_IDLE_TIMEOUT,
          DEFAULT_PACKET_TIMEOUT);

  /** Validates. */
  public MilterSettings {
    Objects.requireNonNull(handlerDeadline, "handlerDeadline");
    Objects.requireNonNull(progressInterval, "progressInterval");
    Objects.requireNonNull(errorAction, "errorAction");
    requestMacros = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(requestMacros));
    if (maxPacketSize < MIN_PACKET_SIZE || maxPacketSize > MAX_PACKET_SIZE) {
      throw new IllegalArgumentException(
          "max packet size must be "
              + MIN_PACKET_SIZE
              + " to "
              + MAX_PACKET_SIZE
              + " bytes (a body chunk is "
              + MilterProtocol.MAX_BODY_CHUNK
              + " bytes), got "
              + maxPacketSize);
    }
    if (handlerDeadline.isNegative() || handlerDeadline.isZero()) {
      throw new IllegalArgumentException("handler deadline must be positive");
    }
    if (progressInterval.toMillis() < 1) {
      throw new IllegalArgumentException("progress interval must be at least 1 ms");
    }
    if (maxHeaders < 1 || maxHeaderBytes < 1 || maxQueuedBytes < 1) {
      throw new IllegalArgumentException("header and queue limits must be positive");
    }
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(packetTimeout, "packetTimeout");
    if (idleTimeout.toMillis() < 1 || packetTimeout.toMillis() < 1) {
      throw new IllegalArgumentException("idle and packet timeouts must be at least 1 ms");
    }
  }

  /** These settings with another handler deadline. */
  public MilterSettings withHandlerDeadline(Duration deadline) {
    return new MilterSettings(
        maxPacketSize,
        deadline,
        progressInterval,
        errorAction,
        maxHeaders,
        maxHeaderBytes,
        maxQueuedBytes,
        requestMacros,
        idleTimeout,
        packetTimeout);
  }

  /** These settings with another progress interval. */
  public MilterSettings withProgressInterval(Duration interval) {
    return new MilterSettings(
        maxPacketSize,
        handlerDeadline,
        interval,
        errorAction,
        maxHeaders,
        maxHeaderBytes,
        maxQueuedBytes,
        requestMacros,
        idleTimeout,
        packetTimeout);
  }

  /** These settings with other header limits. */
  public MilterSettings withHeaderLimits(int headers, int headerBytes) {
    return new MilterSettings(
        maxPacketSize,
        handlerDeadline,
        progressInterval,
        errorAction,
        headers,
        headerBytes,
        maxQueuedBytes,
        requestMacros,
        idleTimeout,
        packetTimeout);
  }

  /** These settings with another error action. */
  public MilterSettings withErrorAction(ErrorAction action) {
    return new MilterSettings(
        maxPacketSize,
        handlerDeadline,
        progressInterval,
        action,
        maxHeaders,
        maxHeaderBytes,
        maxQueuedBytes,
        requestMacros,
        idleTimeout,
        packetTimeout);
  }

  /** These settings with other idle and packet timeouts. */
  public MilterSettings withTimeouts(Duration idle, Duration packet) {
    return new MilterSettings(
        maxPacketSize,
        handlerDeadline,
        progressInterval,
        errorAction,
        maxHeaders,
        maxHeaderBytes,
        maxQueuedBytes,
        requestMacros,
        idle,
        packet);
  }

  /** These settings with another bound on received packets waiting for the filter. */
  public MilterSettings withMaxQueuedBytes(int bytes) {
    return new MilterSettings(
        maxPacketSize,
        handlerDeadline,
        progressInterval,
        errorAction,
        maxHeaders,
        maxHeaderBytes,
        bytes,
        requestMacros,
        idleTimeout,
        packetTimeout);
  }
}

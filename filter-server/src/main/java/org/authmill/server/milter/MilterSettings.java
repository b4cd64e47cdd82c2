package org.authmill.server.milter;

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
 */
public record MilterSettings(
    int maxPacketSize,
    Duration handlerDeadline,
    Duration progressInterval,
    ErrorAction errorAction,
    int maxHeaders,
    int maxHeaderBytes,
    int maxQueuedBytes,
    Map<Integer, String> requestMacros) {

  /** What to do with a message when the filter cannot decide. */
  public enum ErrorAction {
    /** Deliver it unchanged (never lose mail on the filter's account). */
    ACCEPT,
    /** Defer it: the MTA answers 451 4.7.1 and the client retries. */
    TEMPFAIL
  }

  /** The defaults: 1 MiB packets, 20 s deadline, progress every 5 s, accept on error. */
  public static final MilterSettings DEFAULTS =
      new MilterSettings(
          MilterCodec.DEFAULT_MAX_PACKET_SIZE,
          Duration.ofSeconds(20),
          Duration.ofSeconds(5),
          ErrorAction.ACCEPT,
          1000,
          1 << 20,
          1 << 20,
          Map.of());

  /** Validates. */
  public MilterSettings {
    Objects.requireNonNull(handlerDeadline, "handlerDeadline");
    Objects.requireNonNull(progressInterval, "progressInterval");
    Objects.requireNonNull(errorAction, "errorAction");
    requestMacros = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(requestMacros));
    if (maxPacketSize < MilterProtocol.MAX_BODY_CHUNK + 1) {
      throw new IllegalArgumentException("max packet size must be at least 65536 bytes");
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
        requestMacros);
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
        requestMacros);
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
        requestMacros);
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
        requestMacros);
  }
}

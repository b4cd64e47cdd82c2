package org.authmill.bench.load;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One run of the milter load generator.
 *
 * @param target what was driven ("authmill", "opendkim")
 * @param offeredRate the fixed offered rate in messages/s, or 0 at saturation
 * @param messages messages that completed (an end-of-message reply, or a reply that ended the
 *     transaction earlier)
 * @param failures transactions that failed (connection lost, timeout, protocol error)
 * @param passed messages whose Authentication-Results said {@code dkim=pass}
 * @param seconds wall-clock time from the first message's start to the last one's end
 * @param p50Millis median latency (ms)
 * @param p99Millis 99th percentile latency (ms)
 * @param p999Millis 99.9th percentile latency (ms)
 * @param cpuSeconds CPU time the filter's process used during the run (user + system), or NaN when
 *     unknown
 */
public record LoadResult(
    String target,
    double offeredRate,
    int messages,
    int failures,
    int passed,
    double seconds,
    double p50Millis,
    double p99Millis,
    double p999Millis,
    double cpuSeconds) {

  /** Messages per second. */
  public double rate() {
    return seconds > 0 ? messages / seconds : Double.NaN;
  }

  /** The filter's CPU time per message in microseconds. */
  public double cpuMicrosPerMessage() {
    return messages > 0 ? cpuSeconds * 1e6 / messages : Double.NaN;
  }

  /** This result with the filter's CPU time. */
  public LoadResult withCpuSeconds(double cpu) {
    return new LoadResult(
        target,
        offeredRate,
        messages,
        failures,
        passed,
        seconds,
        p50Millis,
        p99Millis,
        p999Millis,
        cpu);
  }

  /** {@code name=value} lines under a prefix, such as {@code milter.authmill.saturation}. */
  public Map<String, String> properties(String prefix) {
    Map<String, String> out = new LinkedHashMap<>();
    if (offeredRate > 0) {
      out.put(prefix + ".offered_msgs_per_s", format(offeredRate));
    }
    out.put(prefix + ".msgs_per_s", format(rate()));
    out.put(prefix + ".p50_ms", format(p50Millis));
    out.put(prefix + ".p99_ms", format(p99Millis));
    out.put(prefix + ".p999_ms", format(p999Millis));
    out.put(prefix + ".messages", Integer.toString(messages));
    out.put(prefix + ".failures", Integer.toString(failures));
    out.put(prefix + ".dkim_pass", Integer.toString(passed));
    if (!Double.isNaN(cpuSeconds)) {
      out.put(prefix + ".cpu_us_per_msg", format(cpuMicrosPerMessage()));
    }
    return out;
  }

  /** A number with three decimals (one above 100), or n/a. */
  static String format(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return "n/a";
    }
    return String.format(Locale.ROOT, value >= 100 ? "%.1f" : "%.3f", value);
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "%s %s: %d msgs in %.2f s = %.1f msg/s, p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms,"
            + " %d failed, %d dkim=pass, filter CPU %.0f µs/msg",
        target,
        offeredRate > 0
            ? String.format(Locale.ROOT, "at %.0f msg/s offered", offeredRate)
            : "saturation",
        messages,
        seconds,
        rate(),
        p50Millis,
        p99Millis,
        p999Millis,
        failures,
        passed,
        cpuMicrosPerMessage());
  }
}

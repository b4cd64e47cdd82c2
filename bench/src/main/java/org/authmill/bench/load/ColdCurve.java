package org.authmill.bench.load;

import java.util.ArrayList;
import java.util.List;

/**
 * A filter's CPU time as messages pass, from its start: after each batch of messages, how many
 * messages so far and how much CPU time the filter has used since the first one. From it: the CPU
 * per message over the first N messages, the steady state (CPU per message over the last {@code
 * steadyBatches} batches) and how many messages passed until a batch cost within 10% of it.
 */
final class ColdCurve {
  private final List<Integer> messages = new ArrayList<>();
  private final List<Double> cpuSeconds = new ArrayList<>();

  /** Adds a point: {@code totalMessages} so far and the CPU seconds used since the first one. */
  void add(int totalMessages, double totalCpuSeconds) {
    if (!messages.isEmpty() && totalMessages <= messages.get(messages.size() - 1)) {
      throw new IllegalArgumentException("message counts must grow: " + totalMessages);
    }
    messages.add(totalMessages);
    cpuSeconds.add(totalCpuSeconds);
  }

  /** Messages so far. */
  int total() {
    return messages.isEmpty() ? 0 : messages.get(messages.size() - 1);
  }

  /**
   * CPU µs per message over the first {@code n} messages, from the point at exactly {@code n}
   * messages (the step sends batches that end there); NaN when no point is there.
   */
  double firstMicros(int n) {
    int i = messages.indexOf(n);
    return i < 0 ? Double.NaN : cpuSeconds.get(i) * 1e6 / n;
  }

  /** CPU µs per message of batch {@code i} (from the previous point to point i). */
  double batchMicros(int i) {
    int m0 = i == 0 ? 0 : messages.get(i - 1);
    double c0 = i == 0 ? 0 : cpuSeconds.get(i - 1);
    return (cpuSeconds.get(i) - c0) * 1e6 / (messages.get(i) - m0);
  }

  /** CPU µs per message over the last {@code batches} batches together. */
  double steadyMicros(int batches) {
    int n = messages.size();
    if (batches < 1 || n < batches + 1) {
      return Double.NaN;
    }
    int from = n - batches - 1;
    return (cpuSeconds.get(n - 1) - cpuSeconds.get(from))
        * 1e6
        / (messages.get(n - 1) - messages.get(from));
  }

  /**
   * The messages passed before the first batch that, with the batch after it, costs at most {@code
   * 1 + tolerance} times the steady state: the filter's warm-up in messages. -1 when no two
   * consecutive batches before the steady window do.
   */
  int messagesToSteady(int steadyBatches, double tolerance) {
    double steady = steadyMicros(steadyBatches);
    if (Double.isNaN(steady)) {
      return -1;
    }
    double limit = steady * (1 + tolerance);
    for (int i = 0; i + 1 < messages.size(); i++) {
      if (batchMicros(i) <= limit && batchMicros(i + 1) <= limit) {
        return i == 0 ? 0 : messages.get(i - 1);
      }
    }
    return -1;
  }

  /** Every batch's CPU µs per message, for the record. */
  List<Double> batches() {
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      out.add(batchMicros(i));
    }
    return out;
  }
}

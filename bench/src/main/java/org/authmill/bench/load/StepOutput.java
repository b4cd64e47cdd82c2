package org.authmill.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code name=value} lines a phase-2 step of {@code bench/run} writes to {@code
 * <out>/<step>.properties}, which {@link org.authmill.bench.Report} prints. Written after every
 * measurement, so that a step cut short still leaves what it measured.
 */
public final class StepOutput {
  private final Path file;
  private final Map<String, String> lines = new LinkedHashMap<>();

  /** Output to {@code file} (replaced). */
  public StepOutput(Path file) {
    this.file = file;
  }

  /** Sets one line and rewrites the file. */
  public void put(String key, String value) throws IOException {
    lines.put(key, value);
    write();
  }

  /** Sets one number (three decimals, one above 100) and rewrites the file. */
  public void put(String key, double value) throws IOException {
    put(key, LoadResult.format(value));
  }

  /** Sets several lines and rewrites the file. */
  public void putAll(Map<String, String> more) throws IOException {
    lines.putAll(more);
    write();
  }

  /** The lines so far. */
  public Map<String, String> lines() {
    return Map.copyOf(lines);
  }

  private void write() throws IOException {
    List<String> out = new ArrayList<>();
    lines.forEach((k, v) -> out.add(k + "=" + v));
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(tmp, out, StandardCharsets.UTF_8);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  /** The median of some numbers (NaN for none). */
  public static double median(List<Double> values) {
    List<Double> sorted = values.stream().filter(v -> !Double.isNaN(v)).sorted().toList();
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /** Numbers as a space-separated list with two decimals, for the record of every round. */
  public static String list(List<Double> values) {
    StringBuilder out = new StringBuilder();
    for (double v : values) {
      out.append(out.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.2f", v));
    }
    return out.toString();
  }
}

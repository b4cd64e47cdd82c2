package org.authmill.feedback;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A block of header-like fields ({@code Name: value}, continuation lines folded in) as found in a
 * {@code message/feedback-report} part (RFC 5965 §3.1) or the head of an included message. Names
 * are compared without case; a field may repeat.
 */
final class HeaderBlock {
  /** Most bytes read from a block. */
  static final int MAX_BYTES = 256 * 1024;

  private final Map<String, List<String>> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

  /** Reads fields up to the first empty line or the end, at most {@link #MAX_BYTES}. */
  static HeaderBlock read(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    int n;
    while (bytes.size() < MAX_BYTES && (n = in.read(chunk)) > 0) {
      bytes.write(chunk, 0, Math.min(n, MAX_BYTES - bytes.size()));
    }
    return parse(bytes.toString(StandardCharsets.UTF_8), true);
  }

  /** Parses fields from text; stops at the first empty line when {@code headOnly}. */
  static HeaderBlock parse(String text, boolean headOnly) {
    HeaderBlock block = new HeaderBlock();
    String name = null;
    StringBuilder value = new StringBuilder();
    boolean seenField = false;
    for (String line : text.split("\r?\n", -1)) {
      if (line.isEmpty() && headOnly && seenField) {
        break;
      }
      if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t') && name != null) {
        value.append(' ').append(line.strip());
        continue;
      }
      if (name != null) {
        block.add(name, value.toString());
        name = null;
      }
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).matches("[!-9;-~]+")) {
        name = line.substring(0, colon);
        value.setLength(0);
        value.append(line.substring(colon + 1).strip());
        seenField = true;
      }
    }
    if (name != null) {
      block.add(name, value.toString());
    }
    return block;
  }

  private void add(String name, String value) {
    fields.computeIfAbsent(name, k -> new ArrayList<>()).add(value.strip());
  }

  /** The first value of a field, or the empty string. */
  String first(String name) {
    List<String> values = fields.get(name);
    return values == null || values.isEmpty() ? "" : values.get(0);
  }

  /** The first value in lower case. */
  String word(String name) {
    return first(name).toLowerCase(Locale.ROOT);
  }

  /** All values of a field. */
  List<String> all(String name) {
    return fields.getOrDefault(name, List.of());
  }

  boolean isEmpty() {
    return fields.isEmpty();
  }
}

package org.authmill.arc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The header fields of one message, raw and in order, within a bound on octets and fields, and the
 * RFC 6376 §5.4.2 selection for an {@code h=} list (each listed name takes the next unused instance
 * from the bottom).
 */
final class HeaderList {
  private final int maxBytes;
  private final int maxFields;
  private final List<byte[]> fields = new ArrayList<>();
  private final List<String> names = new ArrayList<>();
  private long bytes;
  private boolean overflow;

  HeaderList(int maxBytes, int maxFields) {
    this.maxBytes = maxBytes;
    this.maxFields = maxFields;
  }

  /** Adds a raw field, dropping one trailing CRLF (or LF); past a limit, marks the overflow. */
  void add(byte[] field, int offset, int length) {
    int n = length;
    if (n >= 1 && field[offset + n - 1] == '\n') {
      n--;
      if (n >= 1 && field[offset + n - 1] == '\r') {
        n--;
      }
    }
    if (overflow || bytes + n > maxBytes || fields.size() >= maxFields) {
      overflow = true;
      return;
    }
    bytes += n;
    byte[] copy = Arrays.copyOfRange(field, offset, offset + n);
    fields.add(copy);
    names.add(nameOf(copy));
  }

  /**
   * This list with fields put on top (given top to bottom), as a sealer sees the message it is
   * about to send: unbounded, since the fields are the sealer's own.
   */
  HeaderList withTop(List<byte[]> top) {
    HeaderList out = new HeaderList(Integer.MAX_VALUE, Integer.MAX_VALUE);
    for (byte[] field : top) {
      out.add(field, 0, field.length);
    }
    for (byte[] field : fields) {
      out.add(field, 0, field.length);
    }
    return out;
  }

  boolean overflow() {
    return overflow;
  }

  int size() {
    return fields.size();
  }

  byte[] field(int index) {
    return fields.get(index);
  }

  String name(int index) {
    return names.get(index);
  }

  /** The fields an {@code h=} list (lower-case names) selects, in list order. */
  List<byte[]> select(List<String> signed) {
    Map<String, List<Integer>> instances = new HashMap<>();
    for (int i = 0; i < names.size(); i++) {
      instances.computeIfAbsent(names.get(i), n -> new ArrayList<>(1)).add(i);
    }
    Map<String, Integer> used = new HashMap<>();
    List<byte[]> out = new ArrayList<>(Math.min(signed.size(), fields.size()));
    for (String name : signed) {
      List<Integer> found = instances.get(name);
      if (found == null) {
        continue;
      }
      int taken = used.merge(name, 1, Integer::sum);
      if (taken <= found.size()) {
        out.add(fields.get(found.get(found.size() - taken)));
      }
    }
    return out;
  }

  /** The lower-case name: the octets before the colon, without trailing white space. */
  static String nameOf(byte[] field) {
    int end = 0;
    while (end < field.length && field[end] != ':') {
      end++;
    }
    while (end > 0 && (field[end - 1] == ' ' || field[end - 1] == '\t')) {
      end--;
    }
    return new String(field, 0, end, java.nio.charset.StandardCharsets.ISO_8859_1)
        .toLowerCase(Locale.ROOT);
  }
}

package org.authmill.dkim;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The header fields of one message, raw, in order, within a size bound, and the RFC 6376 §5.4.2
 * selection of fields for an {@code h=} list: each listed name takes the next unused instance from
 * the bottom of the header section; a name with no instance left contributes nothing.
 */
final class HeaderStore {
  /** Field names seen in nearly every message, by length. */
  private static final String[][] COMMON_BY_LENGTH =
      byLength(
          "received",
          "from",
          "to",
          "cc",
          "subject",
          "date",
          "message-id",
          "mime-version",
          "content-type",
          "content-transfer-encoding",
          "dkim-signature",
          "reply-to",
          "references",
          "in-reply-to",
          "sender",
          "return-path",
          "delivered-to",
          "authentication-results",
          "received-spf",
          "arc-seal",
          "arc-message-signature",
          "arc-authentication-results",
          "list-id",
          "list-unsubscribe",
          "list-unsubscribe-post",
          "feedback-id",
          "x-mailer");

  private final int maxBytes;
  private final int maxFields;
  private final List<byte[]> fields = new ArrayList<>();
  private final List<String> names = new ArrayList<>();
  private long bytes;
  private boolean overflow;
  private int signatureFieldsSeen;

  HeaderStore(int maxBytes, int maxFields) {
    this.maxBytes = maxBytes;
    this.maxFields = maxFields;
  }

  /** Adds a raw field, dropping one trailing CRLF; past a limit, only counts signatures. */
  void add(byte[] field, int offset, int length) {
    int n = length;
    if (n >= 2 && field[offset + n - 2] == '\r' && field[offset + n - 1] == '\n') {
      n -= 2;
    }
    String name = nameOf(field, offset, n);
    if (name.equals(ParsedSignature.FIELD_NAME)) {
      signatureFieldsSeen++;
    }
    if (overflow || bytes + n > maxBytes || fields.size() >= maxFields) {
      overflow = true;
      return;
    }
    bytes += n;
    fields.add(Arrays.copyOfRange(field, offset, offset + n));
    names.add(name);
  }

  boolean overflow() {
    return overflow;
  }

  int signatureFieldsSeen() {
    return signatureFieldsSeen;
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

  /** How many fields have this (lower-case) name. */
  int count(String name) {
    int n = 0;
    for (String each : names) {
      if (each.equals(name)) {
        n++;
      }
    }
    return n;
  }

  /**
   * The fields an {@code h=} list (lower-case names) selects, in list order. Linear in the list and
   * the header section, however long the list and however many distinct names it has.
   */
  List<byte[]> select(List<String> signed) {
    Map<String, List<Integer>> instances = new HashMap<>(); // name -> indices, top down
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

  /** The lower-case field name: the octets before the colon, without trailing whitespace. */
  static String nameOf(byte[] field, int offset, int length) {
    int end = offset;
    int limit = offset + length;
    while (end < limit && field[end] != ':') {
      end++;
    }
    while (end > offset && (field[end - 1] == ' ' || field[end - 1] == '\t')) {
      end--;
    }
    int nameLength = end - offset;
    String common = common(field, offset, nameLength);
    if (common != null) {
      return common;
    }
    byte[] lower = null;
    for (int i = 0; i < nameLength; i++) {
      byte c = field[offset + i];
      if (c < 0) {
        // an 8-bit octet (not allowed in a field name): let String lower-case it as before
        return new String(field, offset, nameLength, StandardCharsets.ISO_8859_1)
            .toLowerCase(Locale.ROOT);
      }
      if (c >= 'A' && c <= 'Z') {
        if (lower == null) {
          lower = Arrays.copyOfRange(field, offset, end);
        }
        lower[i] = (byte) (c + 32);
      }
    }
    return lower == null
        ? new String(field, offset, nameLength, StandardCharsets.ISO_8859_1)
        : new String(lower, StandardCharsets.ISO_8859_1);
  }

  /** The shared lower-case String of a common field name, or null: no String per such field. */
  private static String common(byte[] field, int offset, int length) {
    if (length >= COMMON_BY_LENGTH.length) {
      return null;
    }
    for (String candidate : COMMON_BY_LENGTH[length]) {
      int i = 0;
      while (i < length) {
        byte c = field[offset + i];
        if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != candidate.charAt(i)) {
          break;
        }
        i++;
      }
      if (i == length) {
        return candidate;
      }
    }
    return null;
  }

  private static String[][] byLength(String... names) {
    int max = 0;
    for (String name : names) {
      max = Math.max(max, name.length());
    }
    List<List<String>> buckets = new ArrayList<>();
    for (int i = 0; i <= max; i++) {
      buckets.add(new ArrayList<>());
    }
    for (String name : names) {
      buckets.get(name.length()).add(name);
    }
    String[][] out = new String[max + 1][];
    for (int i = 0; i <= max; i++) {
      out[i] = buckets.get(i).toArray(new String[0]);
    }
    return out;
  }
}

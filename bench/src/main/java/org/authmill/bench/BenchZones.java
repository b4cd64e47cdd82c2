package org.authmill.bench;

/** Helpers to write the benchmarks' DNS data as RFC 1035 master-file text. */
public final class BenchZones {
  private BenchZones() {}

  /** A TXT record's RDATA: the text in quoted strings of at most 255 octets (RFC 1035 §3.3.14). */
  public static String txt(String text) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length(); i += 255) {
      if (i > 0) {
        out.append(' ');
      }
      out.append('"').append(text, i, Math.min(text.length(), i + 255)).append('"');
    }
    return out.toString();
  }
}

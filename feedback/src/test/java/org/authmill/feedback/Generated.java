package org.authmill.feedback;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Test inputs made on the fly: reports of any size, and compression bombs, all streamed. */
final class Generated {
  private Generated() {}

  static final String HEAD =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          + "<feedback xmlns=\"urn:ietf:params:xml:ns:dmarc-2.0\">\n"
          + "<version>1.0</version>\n"
          + "<report_metadata><org_name>%s</org_name><email>r@example.net</email>"
          + "<report_id>%s</report_id><date_range><begin>1700000000</begin>"
          + "<end>1700086399</end></date_range></report_metadata>\n"
          + "<policy_published><domain>%s</domain><p>none</p><sp>none</sp>"
          + "</policy_published>\n";

  /** One record: {@code count} messages from {@code ip}, DKIM aligned pass iff {@code pass}. */
  static String record(String ip, long count, boolean pass) {
    String r = pass ? "pass" : "fail";
    return "<record><row><source_ip>"
        + ip
        + "</source_ip><count>"
        + count
        + "</count><policy_evaluated><disposition>none</disposition><dkim>"
        + r
        + "</dkim><spf>fail</spf></policy_evaluated></row><identifiers><header_from>"
        + "example.com</header_from></identifiers><auth_results><dkim><domain>example.com"
        + "</domain><selector>s1</selector><result>"
        + r
        + "</result></dkim><spf><domain>example.com</domain><result>fail</result></spf>"
        + "</auth_results></record>\n";
  }

  /** A small valid report as bytes. */
  static byte[] report(String org, String id, String domain, String... records) {
    StringBuilder b = new StringBuilder(String.format(HEAD, org, id, domain));
    for (String r : records) {
      b.append(r);
    }
    b.append("</feedback>\n");
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * A report of {@code rows} records, produced as it is read: record i comes from source i % {@link
   * #SOURCES} (10.0.x.y) with (i % 7) + 1 messages and passes DKIM when i is even.
   */
  static InputStream largeReport(long rows) {
    return new InputStream() {
      private byte[] chunk =
          String.format(HEAD, "big.example", "big-1", "example.com")
              .getBytes(StandardCharsets.UTF_8);
      private int pos;
      private long next;
      private boolean done;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        while (pos >= chunk.length) {
          if (done) {
            return -1;
          }
          StringBuilder s = new StringBuilder();
          for (int k = 0; k < 256 && next < rows; k++, next++) {
            long i = next;
            long host = i % SOURCES;
            String ip = "10.0." + (host >> 8) + "." + (host & 255);
            s.append(record(ip, (i % 7) + 1, i % 2 == 0));
          }
          if (next >= rows) {
            s.append("</feedback>\n");
            done = true;
          }
          chunk = s.toString().getBytes(StandardCharsets.UTF_8);
          pos = 0;
        }
        int n = Math.min(len, chunk.length - pos);
        System.arraycopy(chunk, pos, b, off, n);
        pos += n;
        return n;
      }
    };
  }

  /** How many distinct source addresses {@link #largeReport} uses. */
  static final int SOURCES = 4096;

  /** Total messages of {@link #largeReport}: sum of (i % 7) + 1. */
  static long largeReportMessages(long rows) {
    long sum = 0;
    for (long i = 0; i < rows; i++) {
      sum += (i % 7) + 1;
    }
    return sum;
  }

  /**
   * A real gzip stream (RFC 1952) of {@code size} zero bytes, deflated lazily as it is read, so a
   * 10 GB bomb costs only what the reader consumes.
   */
  static InputStream gzipOfZeros(long size) {
    return new InputStream() {
      private final Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
      private final CRC32 crc = new CRC32();
      private final byte[] zeros = new byte[1 << 16];
      private final byte[] out = new byte[1 << 16];
      private byte[] chunk = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};
      private int pos;
      private long fed;
      private boolean trailer;
      private boolean end;

      @Override
      public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        while (pos >= chunk.length) {
          if (end) {
            return -1;
          }
          if (deflater.needsInput() && fed < size) {
            int n = (int) Math.min(zeros.length, size - fed);
            deflater.setInput(zeros, 0, n);
            crc.update(zeros, 0, n);
            fed += n;
            if (fed == size) {
              deflater.finish();
            }
          } else if (fed == size && !deflater.finished() && deflater.needsInput()) {
            deflater.finish();
          }
          if (!deflater.finished()) {
            int n = deflater.deflate(out);
            chunk = java.util.Arrays.copyOf(out, n);
          } else if (!trailer) {
            long c = crc.getValue();
            chunk =
                new byte[] {
                  (byte) c, (byte) (c >> 8), (byte) (c >> 16), (byte) (c >> 24),
                  (byte) size, (byte) (size >> 8), (byte) (size >> 16), (byte) (size >> 24)
                };
            trailer = true;
          } else {
            end = true;
            chunk = new byte[0];
          }
          pos = 0;
        }
        int n = Math.min(len, chunk.length - pos);
        System.arraycopy(chunk, pos, b, off, n);
        pos += n;
        return n;
      }
    };
  }

  /** A zip whose one entry is {@code size} zeros (deflated in memory: keep size modest). */
  static byte[] zipOfZeros(String entryName, long size) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.setLevel(Deflater.BEST_COMPRESSION);
      zip.putNextEntry(new ZipEntry(entryName));
      byte[] zeros = new byte[1 << 16];
      for (long done = 0; done < size; done += zeros.length) {
        zip.write(zeros, 0, (int) Math.min(zeros.length, size - done));
      }
      zip.closeEntry();
    }
    return bytes.toByteArray();
  }

  /** A zip of the given entries. */
  static byte[] zip(String[] names, byte[][] contents) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (int i = 0; i < names.length; i++) {
        zip.putNextEntry(new ZipEntry(names[i]));
        zip.write(contents[i]);
        zip.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  /** Gzip of bytes. */
  static byte[] gzip(byte[] content) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(bytes)) {
      gz.write(content);
    }
    return bytes.toByteArray();
  }
}

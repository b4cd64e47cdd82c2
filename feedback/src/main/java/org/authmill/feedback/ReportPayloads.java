package org.authmill.feedback;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * Opens the XML documents inside a report file or attachment: plain XML, gzip (RFC 1952, the {@code
 * .xml.gz} of RFC 9990 §5.5.3) or zip. The kind is told by the content's magic bytes, not by the
 * name. Decompression is bounded by {@link DecompressionLimits}: a bomb is refused with a {@link
 * ReportFormatException} after at most {@code maxBytes} of output, and usually after {@code
 * ratioGrace} bytes, when the ratio check trips; nothing is buffered beyond a few kilobytes.
 */
public final class ReportPayloads {
  /** Receives each XML document found; the stream is valid only during the call. */
  @FunctionalInterface
  public interface Consumer {
    /**
     * One XML document.
     *
     * @param name the file or zip entry name, for messages
     * @param xml the document's bytes, bounded as configured
     */
    void accept(String name, InputStream xml) throws IOException;
  }

  private static final int MAX_NESTING = 2;

  private ReportPayloads() {}

  /**
   * Calls {@code consumer} for each XML document in {@code raw}.
   *
   * @throws ReportFormatException for a bomb, a truncated or corrupt archive, or an empty zip
   */
  public static void open(
      String name, InputStream raw, DecompressionLimits limits, Consumer consumer)
      throws IOException {
    Budget budget = new Budget(limits);
    Counting counted = new Counting(raw, budget);
    open(name, new BufferedInputStream(counted, 8192), budget, consumer, 0);
  }

  /** What a content starts with: gzip, zip, or anything else (read as XML). */
  static String kind(InputStream in) throws IOException {
    in.mark(4);
    int b0 = in.read();
    int b1 = in.read();
    int b2 = in.read();
    int b3 = in.read();
    in.reset();
    if (b0 == 0x1f && b1 == 0x8b) {
      return "gzip";
    }
    if (b0 == 'P' && b1 == 'K' && b2 == 3 && b3 == 4) {
      return "zip";
    }
    if (b0 == 'P' && b1 == 'K' && b2 == 5 && b3 == 6) {
      return "empty-zip";
    }
    return "xml";
  }

  private static void open(String name, InputStream in, Budget budget, Consumer consumer, int depth)
      throws IOException {
    String kind = kind(in);
    if (!kind.equals("xml") && depth >= MAX_NESTING) {
      throw new ReportFormatException(name + ": archives nested too deeply");
    }
    switch (kind) {
      case "gzip" -> {
        InputStream gz;
        try {
          gz = new GZIPInputStream(in, 8192);
        } catch (EOFException e) {
          throw new ReportFormatException(name + ": truncated gzip (header incomplete)", e);
        } catch (ZipException e) {
          throw new ReportFormatException(name + ": corrupt gzip: " + e.getMessage(), e);
        }
        InputStream out = new Bounded(new GzipErrors(gz, name), budget, name);
        open(
            stripSuffix(name, ".gz"),
            new BufferedInputStream(out, 8192),
            budget,
            consumer,
            depth + 1);
      }
      case "zip" -> unzip(name, in, budget, consumer, depth);
      case "empty-zip" -> throw new ReportFormatException(name + ": empty zip archive");
      default -> consumer.accept(name, in);
    }
  }

  private static void unzip(
      String name, InputStream in, Budget budget, Consumer consumer, int depth) throws IOException {
    ZipInputStream zip = new ZipInputStream(in);
    int entries = 0;
    int documents = 0;
    try {
      for (ZipEntry entry = nextEntry(name, zip); entry != null; entry = nextEntry(name, zip)) {
        if (++entries > budget.limits.maxEntries()) {
          throw new ReportFormatException(
              name + ": zip holds more than " + budget.limits.maxEntries() + " entries");
        }
        if (entry.isDirectory()) {
          continue;
        }
        String entryName = name + "!" + entry.getName();
        InputStream body = new Bounded(new NoClose(zip), budget, entryName);
        open(entryName, new BufferedInputStream(body, 8192), budget, consumer, depth + 1);
        documents++;
      }
    } catch (EOFException e) {
      throw new ReportFormatException(name + ": truncated zip archive", e);
    } catch (ZipException e) {
      throw new ReportFormatException(name + ": corrupt zip archive: " + e.getMessage(), e);
    }
    if (documents == 0) {
      throw new ReportFormatException(name + ": zip archive holds no report");
    }
  }

  /** The next entry; a name that is not valid in the archive's charset is a corrupt archive. */
  private static ZipEntry nextEntry(String name, ZipInputStream zip) throws IOException {
    try {
      return zip.getNextEntry();
    } catch (IllegalArgumentException e) {
      throw new ReportFormatException(
          name + ": corrupt zip archive: an entry name is not UTF-8", e);
    }
  }

  private static String stripSuffix(String name, String suffix) {
    return name.toLowerCase(Locale.ROOT).endsWith(suffix)
        ? name.substring(0, name.length() - suffix.length())
        : name;
  }

  /** Compressed bytes read and decompressed bytes produced, for one top-level report. */
  private static final class Budget {
    final DecompressionLimits limits;
    long compressed;
    long decompressed;

    Budget(DecompressionLimits limits) {
      this.limits = limits;
    }

    void produced(long n, String name) throws ReportFormatException {
      decompressed += n;
      if (decompressed > limits.maxBytes()) {
        throw new ReportFormatException(
            name
                + ": decompresses to more than "
                + limits.maxBytes()
                + " bytes; refused as a possible decompression bomb");
      }
      if (decompressed > limits.ratioGrace()
          && decompressed / Math.max(1, compressed) >= limits.maxRatio()) {
        throw new ReportFormatException(
            name
                + ": compression ratio above "
                + limits.maxRatio()
                + ":1 ("
                + decompressed
                + " bytes from "
                + compressed
                + "); refused as a possible decompression bomb");
      }
    }
  }

  /** Counts the raw (compressed) bytes. */
  private static final class Counting extends FilterInputStream {
    private final Budget budget;

    Counting(InputStream in, Budget budget) {
      super(in);
      this.budget = budget;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        budget.compressed++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        budget.compressed += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      budget.compressed += skipped;
      return skipped;
    }
  }

  /** Checks each chunk of decompressed output against the budget. */
  private static final class Bounded extends FilterInputStream {
    private final Budget budget;
    private final String name;

    Bounded(InputStream in, Budget budget, String name) {
      super(in);
      this.budget = budget;
      this.name = name;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n <= 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        budget.produced(n, name);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      return read(new byte[(int) Math.min(n, 8192)], 0, (int) Math.min(n, 8192));
    }

    @Override
    public boolean markSupported() {
      return false;
    }
  }

  /** Turns the JDK's gzip errors into report errors that name the problem. */
  private static final class GzipErrors extends FilterInputStream {
    private final String name;

    GzipErrors(InputStream in, String name) {
      super(in);
      this.name = name;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n <= 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return super.read(b, off, len);
      } catch (EOFException e) {
        throw new ReportFormatException(name + ": truncated gzip (compressed data ends early)", e);
      } catch (ZipException e) {
        throw new ReportFormatException(name + ": corrupt gzip: " + e.getMessage(), e);
      }
    }
  }

  /** Keeps a consumer from closing the zip stream between entries. */
  private static final class NoClose extends FilterInputStream {
    NoClose(InputStream in) {
      super(in);
    }

    @Override
    public void close() {}
  }
}

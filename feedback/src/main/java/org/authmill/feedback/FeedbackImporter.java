package org.authmill.feedback;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Imports received DMARC reports into a {@link ReportSink}: files ({@code .xml}, {@code .xml.gz},
 * {@code .zip}, {@code .eml}), directories (walked), Maildir folders ({@code cur/} and {@code
 * new/}) and mbox files, and single messages (as fetched over IMAP). A bad report is reported to
 * the failure listener and skipped; the rest import. A report already stored counts as a duplicate
 * and changes nothing.
 */
public final class FeedbackImporter {
  private final ReportSink sink;
  private final DecompressionLimits limits;
  private final Consumer<ImportOutcome.Failure> onFailure;
  private int imported;
  private int duplicates;
  private int retryable;
  private final List<ImportOutcome.Failure> failures = new ArrayList<>();

  private FeedbackImporter(Builder b) {
    this.sink = b.sink;
    this.limits = b.limits;
    this.onFailure = b.onFailure;
  }

  /** An importer into {@code sink}. */
  public static Builder builder(ReportSink sink) {
    return new Builder(sink);
  }

  /** Options of a {@link FeedbackImporter}. */
  public static final class Builder {
    private final ReportSink sink;
    private DecompressionLimits limits = DecompressionLimits.DEFAULT;
    private Consumer<ImportOutcome.Failure> onFailure = f -> {};

    private Builder(ReportSink sink) {
      this.sink = Objects.requireNonNull(sink);
    }

    /** Decompression bounds (default {@link DecompressionLimits#DEFAULT}). */
    public Builder limits(DecompressionLimits limits) {
      this.limits = Objects.requireNonNull(limits);
      return this;
    }

    /** Called for each failed report as it happens (the command prints it on stderr). */
    public Builder onFailure(Consumer<ImportOutcome.Failure> onFailure) {
      this.onFailure = Objects.requireNonNull(onFailure);
      return this;
    }

    public FeedbackImporter build() {
      return new FeedbackImporter(this);
    }
  }

  /** The counts so far. */
  public ImportOutcome outcome() {
    return new ImportOutcome(imported, duplicates, failures.size(), failures);
  }

  /** Imports files, directories, Maildirs and mbox files. */
  public ImportOutcome importPaths(List<Path> paths) {
    for (Path path : paths) {
      importPath(path);
    }
    return outcome();
  }

  private void importPath(Path path) {
    if (Files.isDirectory(path)) {
      if (Files.isDirectory(path.resolve("cur")) && Files.isDirectory(path.resolve("new"))) {
        for (String sub : List.of("new", "cur")) {
          for (Path file : list(path.resolve(sub), false)) {
            importMessageFile(file);
          }
        }
        return;
      }
      for (Path file : list(path, true)) {
        if (Files.isDirectory(file) || reportName(file.getFileName().toString())) {
          importPath(file);
        }
      }
      return;
    }
    if (!Files.isRegularFile(path)) {
      fail(path.toString(), "no such file or directory");
      return;
    }
    importFile(path);
  }

  /**
   * In a directory walk, the files that may hold reports: {@code .xml}, {@code .gz}, {@code .zip},
   * mail ({@code .eml}, {@code .msg}, {@code .mbox}) and names without an extension. Others (such
   * as {@code .json} or {@code .xsd} beside the reports) are passed over; a file named on the
   * command line is always read.
   */
  static boolean reportName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    int dot = lower.lastIndexOf('.');
    if (dot < 0) {
      return true;
    }
    return switch (lower.substring(dot + 1)) {
      case "xml", "gz", "gzip", "zip", "eml", "msg", "mbox", "mbx" -> true;
      default -> false;
    };
  }

  private List<Path> list(Path dir, boolean withDirs) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> !p.getFileName().toString().startsWith("."))
          .filter(p -> withDirs || Files.isRegularFile(p))
          .sorted()
          .toList();
    } catch (IOException e) {
      fail(dir.toString(), "cannot list the directory: " + e.getMessage());
      return List.of();
    }
  }

  private void importFile(Path path) {
    String name = path.toString();
    try (InputStream in = new BufferedInputStream(Files.newInputStream(path), 65536)) {
      switch (fileKind(name, in)) {
        case "mbox" -> importMbox(name, in);
        case "message" -> importMessage(name, in);
        default -> importPayload(name, in);
      }
    } catch (IOException e) {
      fail(name, "cannot read: " + e.getMessage());
    }
  }

  private void importMessageFile(Path path) {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(path), 65536)) {
      importMessage(path.toString(), in);
    } catch (IOException e) {
      fail(path.toString(), "cannot read: " + e.getMessage());
    }
  }

  /** "payload" (XML, gzip, zip), "mbox" or "message". */
  static String fileKind(String name, InputStream in) throws IOException {
    String lower = name.toLowerCase(Locale.ROOT);
    String kind = ReportPayloads.kind(in);
    if (!kind.equals("xml")) {
      return "payload";
    }
    in.mark(64);
    byte[] head = in.readNBytes(64);
    in.reset();
    String start = new String(head, java.nio.charset.StandardCharsets.ISO_8859_1);
    if (start.startsWith("From ")) {
      return "mbox";
    }
    String trimmed = start.replaceFirst("^[\\s\\uFEFF\\u00EF\\u00BB\\u00BF]+", "");
    if (trimmed.startsWith("<") || lower.endsWith(".xml")) {
      return "payload";
    }
    if (lower.endsWith(".mbox")) {
      return "mbox";
    }
    return "message";
  }

  /**
   * Imports the reports in one mail message.
   *
   * @return false when something failed that may succeed later (the store, I/O), true when the
   *     message was handled: imported, a duplicate, or a bad report (named to the failure listener)
   *     that would fail again
   */
  public boolean importMessage(String name, InputStream message) {
    int before = retryable;
    try {
      ReportMessageReader.read(
          message,
          new ReportMessageReader.Listener() {
            @Override
            public void attachment(String attachment, InputStream content) {
              importPayload(name + ": " + attachment, content);
            }

            @Override
            public void failure(FailureReport report) throws IOException {
              if (sink.failure(report, name)) {
                imported++;
              } else {
                duplicates++;
              }
            }
          });
    } catch (IOException | RuntimeException e) {
      fail(name, reason(e));
    }
    return retryable == before;
  }

  private void importMbox(String name, InputStream in) throws IOException {
    MboxReader mbox = new MboxReader(in);
    int n = 0;
    for (InputStream message = mbox.next(); message != null; message = mbox.next()) {
      n++;
      importMessage(name + "#" + n, message);
    }
  }

  /** Imports the XML documents of one payload (XML, gzip, zip). */
  public void importPayload(String name, InputStream in) {
    try {
      ReportPayloads.open(name, in, limits, this::importXml);
    } catch (IOException | RuntimeException e) {
      fail(name, reason(e));
    }
  }

  private void importXml(String name, InputStream xml) {
    ReportSink.AggregateWriter[] writer = new ReportSink.AggregateWriter[1];
    boolean[] duplicate = new boolean[1];
    try {
      AggregateReportParser.parse(
          xml,
          new AggregateReportParser.Handler() {
            @Override
            public boolean metadata(ReportMetadata metadata) throws IOException {
              writer[0] = sink.begin(metadata, name);
              duplicate[0] = writer[0] == null;
              return !duplicate[0];
            }

            @Override
            public void record(ReportRecord record) throws IOException {
              writer[0].record(record);
            }
          });
      if (duplicate[0]) {
        duplicates++;
      } else {
        writer[0].commit();
        imported++;
      }
    } catch (IOException | RuntimeException e) {
      fail(name, reason(e));
    } finally {
      if (writer[0] != null) {
        try {
          writer[0].close();
        } catch (IOException e) {
          fail(name, "cannot discard the partial report: " + e.getMessage());
        }
      }
    }
  }

  private String reason(Exception e) {
    if (e instanceof ReportFormatException) {
      return e.getMessage();
    }
    retryable++;
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }

  /** Counts a source as failed without reading it (too large, for instance), naming why. */
  public void skip(String source, String reason) {
    fail(source, reason);
  }

  private void fail(String source, String reason) {
    ImportOutcome.Failure failure = new ImportOutcome.Failure(source, reason);
    failures.add(failure);
    onFailure.accept(failure);
  }
}

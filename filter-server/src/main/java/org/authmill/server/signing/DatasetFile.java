package org.authmill.server.signing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.authmill.server.ConfigException;

/**
 * An OpenDKIM data set file (opendkim(8) "DATA SETS"): one entry per line, the key up to the first
 * whitespace and the value after it; blank lines are skipped and {@code #} starts a comment.
 */
final class DatasetFile {
  /** The kinds of data set this project reads. */
  enum Kind {
    /** {@code file:} or a plain path: exact keys. */
    FLAT,
    /** {@code refile:}: keys are wildcard patterns, {@code *} matching anything. */
    PATTERNS
  }

  /** One line: its number, key and value. */
  record Entry(int line, String key, String value) {}

  final Kind kind;
  final Path path;
  final List<Entry> entries;

  private DatasetFile(Kind kind, Path path, List<Entry> entries) {
    this.kind = kind;
    this.path = path;
    this.entries = List.copyOf(entries);
  }

  /** Reads {@code file:PATH}, {@code refile:PATH} or a plain {@code PATH}. */
  static DatasetFile read(String spec, String what) {
    Kind kind = Kind.FLAT;
    String location = spec;
    if (spec.startsWith("refile:")) {
      kind = Kind.PATTERNS;
      location = spec.substring("refile:".length());
    } else if (spec.startsWith("file:")) {
      location = spec.substring("file:".length());
    } else if (spec.matches("^[a-z]+:.*") && !spec.startsWith("/")) {
      throw new ConfigException(
          what + " " + spec + ": only file: and refile: data sets are supported (or a plain path)");
    }
    Path path = Path.of(location);
    List<String> lines;
    try {
      lines = Files.readAllLines(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(what + " " + path + ": cannot read: " + e.getMessage(), e);
    }
    return parse(kind, path, lines);
  }

  static DatasetFile parse(Kind kind, Path path, List<String> lines) {
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      int hash = line.indexOf('#');
      if (hash >= 0) {
        line = line.substring(0, hash);
      }
      line = line.strip();
      if (line.isEmpty()) {
        continue;
      }
      int ws = 0;
      while (ws < line.length() && !Character.isWhitespace(line.charAt(ws))) {
        ws++;
      }
      String key = line.substring(0, ws);
      String value = line.substring(ws).strip();
      entries.add(new Entry(i + 1, key, value));
    }
    return new DatasetFile(kind, path, entries);
  }

  /** "PATH line N" for error messages. */
  String where(Entry e) {
    return path + " line " + e.line();
  }
}

package org.authmill.server.signing;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.authmill.server.ConfigException;

/**
 * An OpenDKIM {@code KeyTable} (opendkim.conf(5)): key names mapped to {@code DOMAIN:SELECTOR:KEY},
 * where DOMAIN {@code %} stands for the sender's domain, and KEY is a file when it starts with
 * {@code /}, {@code ./} or {@code ../}, else the key itself (PEM or base64 DER).
 */
public final class KeyTable {
  /** One entry, before {@code %} is replaced. */
  record Entry(String name, String domain, String selector, String key, String where) {}

  private final Map<String, Entry> entries;

  private KeyTable(Map<String, Entry> entries) {
    this.entries = entries;
  }

  /** Reads a KeyTable data set ({@code file:PATH} or a plain path). */
  public static KeyTable read(String spec) {
    DatasetFile file = DatasetFile.read(spec, "KeyTable");
    if (file.kind != DatasetFile.Kind.FLAT) {
      throw new ConfigException("KeyTable " + spec + ": must be a flat file, not refile:");
    }
    return of(file);
  }

  /** Parses KeyTable lines (for tests and in-memory configs). */
  static KeyTable parse(Path path, List<String> lines) {
    return of(DatasetFile.parse(DatasetFile.Kind.FLAT, path, lines));
  }

  private static KeyTable of(DatasetFile file) {
    Map<String, Entry> entries = new LinkedHashMap<>();
    for (DatasetFile.Entry e : file.entries) {
      String[] parts = e.value().split(":", 3);
      if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
        throw new ConfigException(
            file.where(e)
                + ": key "
                + e.key()
                + " needs DOMAIN:SELECTOR:KEYFILE, got '"
                + e.value()
                + "'");
      }
      if (entries.containsKey(key(e.key()))) {
        throw new ConfigException(file.where(e) + ": key name " + e.key() + " defined twice");
      }
      Entry entry = new Entry(e.key(), parts[0], parts[1], parts[2], file.where(e));
      // Validate what can be validated before a sender's domain is known.
      resolve(entry, "example.invalid");
      entries.put(key(e.key()), entry);
    }
    return new KeyTable(entries);
  }

  private static String key(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  /** The number of keys. */
  public int size() {
    return entries.size();
  }

  /** True when the table names this key. */
  public boolean contains(String name) {
    return entries.containsKey(key(name));
  }

  /** Every key file the table refers to, with {@code %} unresolved left out. */
  public List<Path> keyFiles() {
    return entries.values().stream()
        .filter(e -> isPath(e.key()) && !e.key().contains("%"))
        .map(e -> Path.of(e.key()))
        .toList();
  }

  /**
   * The key of that name for a sender's domain ({@code %} replaced), or empty if unnamed.
   *
   * @throws ConfigException if {@code %} makes an invalid domain
   */
  public Optional<SigningKey> key(String name, String senderDomain) {
    Entry e = entries.get(key(name));
    return e == null ? Optional.empty() : Optional.of(resolve(e, senderDomain));
  }

  private static SigningKey resolve(Entry e, String senderDomain) {
    String domain = e.domain().equals("%") ? senderDomain : e.domain();
    KeySource source =
        isPath(e.key())
            ? new KeySource.File(Path.of(e.key()))
            : new KeySource.Inline(e.key().replace("%", senderDomain));
    try {
      return new SigningKey(domain, e.selector(), source, Optional.empty());
    } catch (IllegalArgumentException bad) {
      throw new ConfigException(e.where() + ": key " + e.name() + ": " + bad.getMessage(), bad);
    }
  }

  private static boolean isPath(String key) {
    return key.startsWith("/") || key.startsWith("./") || key.startsWith("../");
  }
}

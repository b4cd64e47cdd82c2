package org.authmill.server.signing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.authmill.server.ConfigException;

/**
 * An OpenDKIM {@code SigningTable} (opendkim.conf(5)): which KeyTable keys sign mail from which
 * From: address. Values are {@code KEYNAME[:SIGNER]}; KEYNAME {@code %} stands for the sender's
 * domain, and {@code %} in SIGNER too.
 *
 * <p>A {@code refile:} table holds wildcard patterns ({@code *} matches anything) tried in file
 * order against {@code user@host}. A flat table is looked up in OpenDKIM's order: {@code
 * user@host}, {@code host}, {@code user@.domain} for each parent domain, {@code .domain} for each
 * parent domain, {@code user@*}, {@code *}. The first match applies, or every match with
 * MultipleSignatures.
 */
public final class SigningTable {
  /** One row: what it matches and its value. */
  record Row(String key, Pattern pattern, String keyName, Optional<String> signer, String where) {}

  private final boolean patterns;
  private final List<Row> rows;
  private final Map<String, List<Row>> exact;

  private SigningTable(boolean patterns, List<Row> rows) {
    this.patterns = patterns;
    this.rows = List.copyOf(rows);
    Map<String, List<Row>> map = new LinkedHashMap<>();
    for (Row r : rows) {
      map.computeIfAbsent(r.key().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(r);
    }
    this.exact = map;
  }

  /** Reads a SigningTable data set: {@code file:PATH}, {@code refile:PATH} or a plain path. */
  public static SigningTable read(String spec) {
    return of(DatasetFile.read(spec, "SigningTable"));
  }

  /** Parses SigningTable lines (for tests). */
  static SigningTable parse(boolean refile, Path path, List<String> lines) {
    return of(
        DatasetFile.parse(refile ? DatasetFile.Kind.PATTERNS : DatasetFile.Kind.FLAT, path, lines));
  }

  private static SigningTable of(DatasetFile file) {
    boolean patterns = file.kind == DatasetFile.Kind.PATTERNS;
    List<Row> rows = new ArrayList<>();
    for (DatasetFile.Entry e : file.entries) {
      if (e.value().isEmpty()) {
        throw new ConfigException(file.where(e) + ": " + e.key() + " names no key");
      }
      String[] parts = e.value().split(":", 2);
      Optional<String> signer =
          parts.length == 2 && !parts[1].isBlank()
              ? Optional.of(parts[1].strip())
              : Optional.empty();
      rows.add(
          new Row(
              e.key(),
              patterns ? wildcard(e.key()) : null,
              parts[0].strip(),
              signer,
              file.where(e)));
    }
    return new SigningTable(patterns, rows);
  }

  private static Pattern wildcard(String glob) {
    StringBuilder re = new StringBuilder();
    String[] parts = glob.split("\\*", -1);
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        re.append(".*");
      }
      if (!parts[i].isEmpty()) {
        re.append(Pattern.quote(parts[i]));
      }
    }
    return Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  }

  /** Checks that every key name (other than {@code %}) is in the KeyTable. */
  public void checkAgainst(KeyTable keys) {
    for (Row r : rows) {
      if (!r.keyName().equals("%") && !keys.contains(r.keyName())) {
        throw new ConfigException(
            r.where() + ": key name " + r.keyName() + " is not in the KeyTable");
      }
    }
  }

  /**
   * The keys that sign mail from this From: address: the first match, or all matches in order when
   * {@code multiple}.
   */
  public List<SigningKey> keysFor(String address, KeyTable keys, boolean multiple) {
    int at = address.lastIndexOf('@');
    if (at <= 0 || at == address.length() - 1) {
      return List.of();
    }
    String user = address.substring(0, at);
    String host = address.substring(at + 1).toLowerCase(Locale.ROOT);
    List<Row> matches = new ArrayList<>();
    if (patterns) {
      for (Row r : rows) {
        if (r.pattern().matcher(address).matches()) {
          matches.add(r);
          if (!multiple) {
            break;
          }
        }
      }
    } else {
      List<String> candidates = new ArrayList<>();
      candidates.add(user + "@" + host);
      candidates.add(host);
      List<String> parents = new ArrayList<>();
      for (String d = host; d.indexOf('.') >= 0; ) {
        d = d.substring(d.indexOf('.') + 1);
        parents.add(d);
      }
      for (String p : parents) {
        candidates.add(user + "@." + p);
      }
      for (String p : parents) {
        candidates.add("." + p);
      }
      candidates.add(user + "@*");
      candidates.add("*");
      for (String c : candidates) {
        List<Row> found = exact.get(c.toLowerCase(Locale.ROOT));
        if (found != null) {
          matches.addAll(found);
          if (!multiple) {
            break;
          }
        }
      }
      if (!multiple && matches.size() > 1) {
        matches = matches.subList(0, 1);
      }
    }
    List<SigningKey> result = new ArrayList<>();
    for (Row r : matches) {
      String name = r.keyName().equals("%") ? host : r.keyName();
      Optional<SigningKey> key = keys.key(name, host);
      if (key.isEmpty()) {
        continue; // "%" naming a domain the KeyTable does not have
      }
      SigningKey k = key.get();
      Optional<String> signer = r.signer().map(s -> s.replace("%", host));
      result.add(new SigningKey(k.domain(), k.selector(), k.key(), signer));
    }
    return result;
  }
}

package org.authmill.dns;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * Answers lookups from an RFC 1035 §5 master file held in memory, as an authoritative server for
 * the root zone would: the file may hold records of many unrelated domains, with or without SOA
 * records.
 *
 * <p>A name with records of another type is NODATA; a name that owns no records but has descendants
 * (an empty non-terminal, RFC 8020) is NODATA; any other name is NXDOMAIN. CNAMEs are followed (at
 * most {@value #MAX_CNAME_HOPS} hops; a loop is a temporary failure, as a server would report
 * SERVFAIL). Wildcards are expanded as RFC 4592 §3.3.1 says. Negative answers carry the TTL of RFC
 * 2308 §5 from the closest enclosing SOA, or {@link #DEFAULT_NEGATIVE_TTL} where the file has none.
 */
public final class ZoneResolver implements DnsResolver {

  /** How many CNAMEs one lookup follows before it reports a loop. */
  public static final int MAX_CNAME_HOPS = 8;

  /** The negative-answer TTL for names with no enclosing SOA record in the file. */
  public static final Duration DEFAULT_NEGATIVE_TTL = Duration.ofMinutes(5);

  private static final long DEFAULT_RECORD_TTL = 3600;
  private static final Name WILDCARD_LABEL = Name.fromConstantString("*");

  private final Map<Name, List<Record>> recordsByOwner;
  private final Set<Name> existingNames;

  private ZoneResolver(List<Record> records) {
    Map<Name, List<Record>> byOwner = new HashMap<>();
    Set<Name> names = new HashSet<>();
    for (Record record : records) {
      byOwner.computeIfAbsent(record.getName(), n -> new ArrayList<>()).add(record);
      for (Name name = record.getName(); ; name = parent(name)) {
        if (!names.add(name) || name.equals(Name.root)) {
          break;
        }
      }
    }
    byOwner.replaceAll((name, list) -> List.copyOf(list));
    this.recordsByOwner = Map.copyOf(byOwner);
    this.existingNames = Set.copyOf(names);
  }

  /**
   * Reads a master file. Relative names are relative to the root unless the file sets {@code
   * $ORIGIN}; records without a TTL get one hour.
   *
   * @throws IOException if the file cannot be read, or names the line it cannot parse
   */
  public static ZoneResolver fromFile(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return new ZoneResolver(parse(in, file.toString()));
    }
  }

  /**
   * Reads master-file text, as {@link #fromFile} does.
   *
   * @throws IllegalArgumentException naming the line that cannot be parsed
   */
  public static ZoneResolver fromText(String zoneText) {
    try {
      return new ZoneResolver(
          parse(new ByteArrayInputStream(zoneText.getBytes(StandardCharsets.UTF_8)), "zone text"));
    } catch (IOException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private static List<Record> parse(InputStream in, String source) throws IOException {
    List<Record> records = new ArrayList<>();
    try (Master master = new Master(in, Name.root, DEFAULT_RECORD_TTL)) {
      for (Record r = master.nextRecord(); r != null; r = master.nextRecord()) {
        records.add(r);
      }
    } catch (IOException e) {
      throw new IOException(source + " " + describe(e), e);
    } catch (UncheckedIOException e) {
      throw new IOException(source + " " + describe(e.getCause()), e.getCause());
    } catch (RuntimeException e) {
      // dnsjava's parser throws unchecked exceptions on some malformed input (found by fuzzing).
      throw new IOException(source + ": cannot parse (" + e + ")", e);
    }
    return records;
  }

  /** dnsjava says {@code <none>:7: message}; an operator reads {@code line 7: message} better. */
  private static String describe(IOException e) {
    String message = String.valueOf(e.getMessage());
    return message.replaceFirst("^<none>:(\\d+): ", "line $1: ");
  }

  @Override
  public <T> CompletionStage<DnsAnswer<T>> lookup(String name, RecordType<T> type) {
    Optional<Name> parsed = DomainName.toDnsjava(name);
    if (parsed.isEmpty()) {
      return CompletableFuture.completedFuture(new DnsAnswer.NxDomain<>(DEFAULT_NEGATIVE_TTL));
    }
    return CompletableFuture.completedFuture(answer(parsed.get(), type));
  }

  private <T> DnsAnswer<T> answer(Name queried, RecordType<T> type) {
    Set<Name> visited = new HashSet<>();
    Name current = queried;
    for (int hop = 0; hop <= MAX_CNAME_HOPS; hop++) {
      if (!visited.add(current)) {
        break;
      }
      List<Record> owned = recordsAt(current);
      if (owned == null) {
        return existingNames.contains(current)
            ? new DnsAnswer.NoData<>(negativeTtl(current))
            : new DnsAnswer.NxDomain<>(negativeTtl(current));
      }
      List<T> values = new ArrayList<>();
      long ttl = Long.MAX_VALUE;
      Name alias = null;
      for (Record record : owned) {
        if (record.getType() == type.code()) {
          values.add(type.read(record));
          ttl = Math.min(ttl, record.getTTL());
        } else if (record.getType() == Type.CNAME) {
          alias = ((CNAMERecord) record).getTarget();
        }
      }
      if (!values.isEmpty()) {
        return new DnsAnswer.Records<>(values, Duration.ofSeconds(ttl));
      }
      if (alias == null) {
        return new DnsAnswer.NoData<>(negativeTtl(current));
      }
      current = alias;
    }
    return new DnsAnswer.TempFailure<>(
        "CNAME loop or chain longer than " + MAX_CNAME_HOPS + " at " + DomainName.toText(queried));
  }

  /**
   * The records owned by a name, or synthesized for it from a wildcard (RFC 4592 §3.3.1), or null
   * when there are none.
   */
  private List<Record> recordsAt(Name name) {
    List<Record> owned = recordsByOwner.get(name);
    if (owned != null || existingNames.contains(name)) {
      return owned;
    }
    Name closestEncloser = parent(name);
    while (!existingNames.contains(closestEncloser) && !closestEncloser.equals(Name.root)) {
      closestEncloser = parent(closestEncloser);
    }
    List<Record> wildcard = recordsByOwner.get(wildcardAt(closestEncloser));
    if (wildcard == null) {
      return null;
    }
    List<Record> synthesized = new ArrayList<>(wildcard.size());
    for (Record record : wildcard) {
      synthesized.add(record.withName(name));
    }
    return synthesized;
  }

  private Duration negativeTtl(Name name) {
    for (Name zone = name; ; zone = parent(zone)) {
      List<Record> owned = recordsByOwner.get(zone);
      if (owned != null) {
        for (Record record : owned) {
          if (record instanceof SOARecord soa) {
            return Duration.ofSeconds(Math.min(soa.getTTL(), soa.getMinimum()));
          }
        }
      }
      if (zone.equals(Name.root)) {
        return DEFAULT_NEGATIVE_TTL;
      }
    }
  }

  private static Name wildcardAt(Name encloser) {
    try {
      return Name.concatenate(WILDCARD_LABEL, encloser);
    } catch (NameTooLongException e) {
      return WILDCARD_LABEL;
    }
  }

  private static Name parent(Name name) {
    return name.labels() <= 1 ? Name.root : new Name(name, 1);
  }
}

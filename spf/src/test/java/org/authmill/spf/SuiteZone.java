package org.authmill.spf;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.authmill.dns.DnsAnswer;
import org.authmill.dns.DnsResolver;
import org.authmill.dns.MxRecord;
import org.authmill.dns.RecordType;

/**
 * Serves one scenario's {@code zonedata} of the OpenSPF YAML suite the way the reference driver
 * (pyspf's testspf.py, described in ../shared/testsuites/SOURCES.md) does: SPF entries are also TXT
 * entries unless the name has a TXT entry of its own (generated ones come last); {@code TXT: NONE}
 * only suppresses that; a bare {@code TIMEOUT} times out a query for a type with no earlier entry;
 * a name not listed is NXDOMAIN, or a timeout when it starts with {@code error.}; a label over 63
 * octets is a DNS error and empty labels are dropped; CNAMEs are followed as a recursive resolver
 * follows them, up to {@link #MAX_CNAME_HOPS} (pyspf follows the chains the driver answers with;
 * pyspf-extra's cname-chain needs two).
 */
final class SuiteZone implements DnsResolver {
  private static final Duration TTL = Duration.ofSeconds(3600);
  private static final Object TIMEOUT = "TIMEOUT";
  private static final int MAX_CNAME_HOPS = 8;

  /** One zone entry: a type and its value, or the bare TIMEOUT marker. */
  private record Entry(String type, Object value) {}

  private final Map<String, List<Object>> names = new HashMap<>();
  private final AtomicInteger queries = new AtomicInteger();

  /** Builds the zone from the scenario's parsed {@code zonedata} map. */
  @SuppressWarnings("unchecked")
  SuiteZone(Map<String, Object> zonedata) {
    for (Map.Entry<String, Object> name : zonedata.entrySet()) {
      List<Object> entries = new ArrayList<>();
      List<Object> generated = new ArrayList<>();
      boolean generate = true;
      for (Object item : (List<Object>) name.getValue()) {
        if (!(item instanceof Map<?, ?> map)) {
          entries.add(TIMEOUT.equals(item) ? TIMEOUT : item);
          continue;
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
          String type = ((String) e.getKey()).toUpperCase(Locale.ROOT);
          Object value = e.getValue();
          if (type.equals("TXT")) {
            generate = false;
          } else if (type.equals("SPF") && generate) {
            generated.add(new Entry("TXT", value));
          }
          if (!(type.equals("TXT") && "NONE".equals(value))) {
            entries.add(new Entry(type, value));
          }
        }
      }
      if (generate) {
        entries.addAll(generated);
      }
      names.put(name.getKey().toLowerCase(Locale.ROOT), entries);
    }
  }

  /** How many lookups were asked of this zone. */
  int queries() {
    return queries.get();
  }

  @Override
  public <T> CompletionStage<DnsAnswer<T>> lookup(String name, RecordType<T> type) {
    queries.incrementAndGet();
    return CompletableFuture.completedFuture(answer(name, type, 0));
  }

  @SuppressWarnings("unchecked")
  private <T> DnsAnswer<T> answer(String queried, RecordType<T> type, int level) {
    List<String> labels = new ArrayList<>();
    for (String label : queried.split("\\.")) {
      if (label.length() > 63) {
        return new DnsAnswer.TempFailure<>("DNS label too long in " + queried);
      }
      if (!label.isEmpty()) {
        labels.add(label);
      }
    }
    String name = String.join(".", labels).toLowerCase(Locale.ROOT);
    List<Object> entries = names.get(name);
    if (entries == null) {
      return name.startsWith("error.")
          ? new DnsAnswer.TempFailure<>("DNS timeout for " + name)
          : new DnsAnswer.NxDomain<>(Duration.ofSeconds(300));
    }
    List<T> values = new ArrayList<>();
    boolean seen = false;
    for (Object item : entries) {
      if (item == TIMEOUT) {
        if (!seen) {
          return new DnsAnswer.TempFailure<>("DNS timeout for " + name + "/" + type);
        }
        break;
      }
      Entry entry = (Entry) item;
      boolean sameType = entry.type().equals(type.name());
      if (sameType) {
        seen = true;
      }
      if ("TIMEOUT".equals(entry.value())) {
        if (sameType) {
          return new DnsAnswer.TempFailure<>("DNS timeout for " + name + "/" + type);
        }
        continue;
      }
      if (sameType) {
        values.add((T) convert(entry));
      } else if (entry.type().equals("CNAME") && level < MAX_CNAME_HOPS) {
        DnsAnswer<T> aliased = answer((String) entry.value(), type, level + 1);
        if (aliased instanceof DnsAnswer.TempFailure<T>) {
          return aliased;
        }
        values.addAll(aliased.values());
      }
    }
    return values.isEmpty()
        ? new DnsAnswer.NoData<>(Duration.ofSeconds(300))
        : new DnsAnswer.Records<>(values, TTL);
  }

  private static Object convert(Entry entry) {
    Object value = entry.value();
    return switch (entry.type()) {
      case "TXT" ->
          value instanceof List<?> strings ? String.join("", castStrings(strings)) : value;
      case "A", "AAAA" -> address((String) value);
      case "MX" -> {
        List<?> mx = (List<?>) value;
        yield new MxRecord(((Number) mx.get(0)).intValue(), stripDot(String.valueOf(mx.get(1))));
      }
      case "PTR", "CNAME" -> stripDot((String) value);
      default -> throw new IllegalArgumentException("unexpected zone entry " + entry);
    };
  }

  private static List<String> castStrings(List<?> strings) {
    List<String> out = new ArrayList<>();
    for (Object s : strings) {
      out.add((String) s);
    }
    return out;
  }

  private static String stripDot(String name) {
    return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
  }

  static InetAddress address(String literal) {
    byte[] bytes =
        literal.indexOf(':') >= 0 ? Addresses.parseIp6(literal) : Addresses.parseIp4(literal);
    if (bytes == null) {
      throw new IllegalArgumentException("not an address literal: " + literal);
    }
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }
}

package org.authmill.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Finds the authoritative name servers of the zone that holds a name, through a recursive resolver:
 * the zone (the owner of the SOA record the resolver returns for the name, RFC 2136 §4.1), its NS
 * set (RFC 1035 §3.3.11), and each name server's IPv4 and IPv6 addresses, at port 53. Those are the
 * servers {@link AuthoritativeChecker} then asks directly.
 */
public final class ZoneNameservers {
  /** The most name servers of one zone that are asked. */
  public static final int MAX_SERVERS = 32;

  private final ExtendedResolver recursive;

  private ZoneNameservers(List<InetSocketAddress> resolvers, Duration timeout) {
    List<InetSocketAddress> servers =
        resolvers.isEmpty() ? ResolverConfig.getCurrentConfig().servers() : resolvers;
    this.recursive =
        new ExtendedResolver(
            servers.stream()
                .map(
                    s -> {
                      org.xbill.DNS.SimpleResolver r = new org.xbill.DNS.SimpleResolver(s);
                      r.setTimeout(timeout);
                      return (org.xbill.DNS.Resolver) r;
                    })
                .toList());
    recursive.setTimeout(timeout);
    recursive.setRetries(1);
  }

  /**
   * A finder that asks these recursive resolvers (the system's when empty), each query bounded by
   * {@code timeout}.
   */
  public static ZoneNameservers using(List<InetSocketAddress> resolvers, Duration timeout) {
    return new ZoneNameservers(List.copyOf(resolvers), Objects.requireNonNull(timeout, "timeout"));
  }

  /** The servers found for a name, or why none were. */
  public record Found(String zone, List<InetSocketAddress> servers, Optional<String> failure) {
    /** Validates. */
    public Found {
      Objects.requireNonNull(zone, "zone");
      servers = List.copyOf(servers);
      Objects.requireNonNull(failure, "failure");
    }
  }

  /** The zone holding {@code name} and the addresses of its name servers, at port 53. */
  public CompletionStage<Found> of(String name) {
    Name owner = DnsUpdater.absolute(name);
    return query(owner, Type.SOA)
        .thenCompose(
            soa -> {
              if (soa == null) {
                return done("", "no answer for the SOA of " + DnsUpdater.text(owner));
              }
              Optional<Name> zone = Optional.empty();
              for (int section : new int[] {Section.ANSWER, Section.AUTHORITY}) {
                for (Record r : soa.getSection(section)) {
                  if (r instanceof SOARecord && owner.subdomain(r.getName())) {
                    zone = Optional.of(r.getName());
                  }
                }
              }
              if (zone.isEmpty()) {
                return done(
                    "",
                    "no zone found for "
                        + DnsUpdater.text(owner)
                        + " ("
                        + Rcode.string(soa.getRcode())
                        + " without an SOA record)");
              }
              Name z = zone.get();
              return query(z, Type.NS).thenCompose(ns -> addresses(z, ns));
            });
  }

  private CompletionStage<Found> addresses(Name zone, Message ns) {
    String zoneText = DnsUpdater.text(zone);
    if (ns == null) {
      return done(zoneText, "no answer for the NS records of " + zoneText);
    }
    List<Name> hosts = new ArrayList<>();
    for (Record r : ns.getSection(Section.ANSWER)) {
      if (r instanceof NSRecord record && r.getName().equals(zone)) {
        hosts.add(record.getTarget());
      }
    }
    if (hosts.isEmpty()) {
      return done(zoneText, "zone " + zoneText + " has no NS records");
    }
    List<CompletableFuture<List<InetAddress>>> lookups = new ArrayList<>();
    for (Name host : hosts.subList(0, Math.min(hosts.size(), MAX_SERVERS))) {
      CompletableFuture<List<InetAddress>> v4 =
          query(host, Type.A).thenApply(m -> read(m, host)).toCompletableFuture();
      CompletableFuture<List<InetAddress>> v6 =
          query(host, Type.AAAA).thenApply(m -> read(m, host)).toCompletableFuture();
      lookups.add(
          v4.thenCombine(
              v6,
              (a, b) -> {
                List<InetAddress> all = new ArrayList<>(a);
                all.addAll(b);
                return all;
              }));
    }
    return CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new))
        .thenApply(
            done -> {
              Set<InetSocketAddress> servers = new LinkedHashSet<>();
              List<String> unresolved = new ArrayList<>();
              for (int i = 0; i < lookups.size(); i++) {
                List<InetAddress> found = lookups.get(i).join();
                if (found.isEmpty()) {
                  unresolved.add(DnsUpdater.text(hosts.get(i)));
                }
                for (InetAddress address : found) {
                  servers.add(new InetSocketAddress(address, 53));
                }
              }
              Optional<String> failure =
                  unresolved.isEmpty()
                      ? Optional.empty()
                      : Optional.of(
                          "no address for name server(s) "
                              + String.join(", ", unresolved)
                              + " of zone "
                              + zoneText);
              return new Found(zoneText, List.copyOf(servers), failure);
            });
  }

  private static List<InetAddress> read(Message m, Name host) {
    List<InetAddress> out = new ArrayList<>();
    if (m == null) {
      return out;
    }
    for (Record r : m.getSection(Section.ANSWER)) {
      if (r instanceof ARecord a) {
        out.add(a.getAddress());
      } else if (r instanceof AAAARecord aaaa) {
        out.add(aaaa.getAddress());
      }
    }
    return out;
  }

  private CompletionStage<Message> query(Name name, int type) {
    return recursive
        .sendAsync(Message.newQuery(Record.newRecord(name, type, DClass.IN)))
        .handle((m, e) -> e == null ? m : null);
  }

  private static CompletionStage<Found> done(String zone, String failure) {
    return CompletableFuture.completedFuture(new Found(zone, List.of(), Optional.of(failure)));
  }
}

package org.authmill.dns;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Sends queries to recursive (or authoritative) name servers with dnsjava, over UDP with a TCP
 * retry when an answer comes back truncated (RFC 7766 §5), and turns every response, timeout and
 * error into a {@link DnsAnswer}. It is the only place where dnsjava's exceptions are seen.
 *
 * <p>Each query is sent to the servers in turn, {@code retries + 1} rounds at most, each attempt
 * bounded by the timeout; a server that answers SERVFAIL, REFUSED or anything but NOERROR and
 * NXDOMAIN counts as a failed attempt. When every attempt fails, the answer is a {@link
 * DnsAnswer.TempFailure} naming the last error. So a lookup takes at most {@code timeout × (retries
 * + 1) × servers} before it is answered.
 *
 * <pre>{@code
 * DnsResolver dns = DnsjavaResolver.builder()
 *     .nameserver(new InetSocketAddress("127.0.0.1", 53))
 *     .timeout(Duration.ofSeconds(2))
 *     .retries(1)
 *     .build();
 * }</pre>
 */
public final class DnsjavaResolver implements DnsResolver {

  /** How many CNAMEs one lookup follows across queries before it reports a loop. */
  public static final int MAX_CNAME_HOPS = 8;

  private final List<SimpleResolver> servers;
  private final List<InetSocketAddress> addresses;
  private final int retries;
  private final Executor executor;

  private DnsjavaResolver(Builder builder) {
    this.addresses = List.copyOf(builder.nameservers);
    List<SimpleResolver> resolvers = new ArrayList<>();
    for (InetSocketAddress address : addresses) {
      SimpleResolver resolver = new SimpleResolver(address);
      resolver.setTimeout(builder.timeout);
      resolvers.add(resolver);
    }
    this.servers = List.copyOf(resolvers);
    this.retries = builder.retries;
    this.executor = builder.executor;
  }

  /** A builder whose defaults are the system's resolvers, a 2 s timeout and 1 retry. */
  public static Builder builder() {
    return new Builder();
  }

  /** The servers this resolver asks, in order. */
  public List<InetSocketAddress> nameservers() {
    return addresses;
  }

  @Override
  public <T> CompletionStage<DnsAnswer<T>> lookup(String name, RecordType<T> type) {
    Optional<Name> parsed = DomainName.toDnsjava(name);
    if (parsed.isEmpty()) {
      return CompletableFuture.completedFuture(new DnsAnswer.NxDomain<>(Duration.ZERO));
    }
    return resolve(parsed.get(), parsed.get(), type, 0);
  }

  private <T> CompletionStage<DnsAnswer<T>> resolve(
      Name original, Name queried, RecordType<T> type, int hops) {
    return send(queried, type, 0, "no name server configured")
        .thenCompose(
            outcome -> {
              if (outcome instanceof String failure) {
                return CompletableFuture.completedFuture(new DnsAnswer.TempFailure<>(failure));
              }
              Message response = (Message) outcome;
              Interpreted<T> result = interpret(response, queried, type);
              if (result.answer != null) {
                return CompletableFuture.completedFuture(result.answer);
              }
              if (hops >= MAX_CNAME_HOPS || result.alias.equals(original)) {
                return CompletableFuture.completedFuture(
                    new DnsAnswer.TempFailure<>(
                        "CNAME loop or chain longer than "
                            + MAX_CNAME_HOPS
                            + " at "
                            + DomainName.toText(original)));
              }
              return resolve(original, result.alias, type, hops + 1);
            });
  }

  /**
   * Sends one query, moving on to the next server or round on a timeout or an unusable RCODE.
   * Completes with the {@link Message} or with a String naming the last failure.
   */
  private CompletionStage<Object> send(
      Name name, RecordType<?> type, int attempt, String lastError) {
    if (attempt >= servers.size() * (retries + 1)) {
      return CompletableFuture.completedFuture(lastError);
    }
    int index = attempt % servers.size();
    Message query = Message.newQuery(Record.newRecord(name, type.code(), DClass.IN));
    String what =
        DomainName.toText(name) + "/" + type.name() + " at " + describe(addresses.get(index));
    return servers
        .get(index)
        .sendAsync(query, executor)
        .handle(
            (response, error) -> {
              if (error != null) {
                Throwable cause = error instanceof CompletionException ? error.getCause() : error;
                return "no answer for " + what + ": " + describe(cause);
              }
              int rcode = response.getRcode();
              if (rcode == Rcode.NOERROR || rcode == Rcode.NXDOMAIN) {
                return (Object) response;
              }
              return Rcode.string(rcode) + " for " + what;
            })
        .thenCompose(
            outcome ->
                outcome instanceof String failure
                    ? send(name, type, attempt + 1, failure)
                    : CompletableFuture.completedFuture(outcome));
  }

  /** The answer in one response, or the CNAME target still to be asked for. */
  private record Interpreted<T>(DnsAnswer<T> answer, Name alias) {}

  private static <T> Interpreted<T> interpret(Message response, Name queried, RecordType<T> type) {
    Name current = queried;
    List<Record> answers = response.getSection(Section.ANSWER);
    boolean aliased = false;
    for (int hop = 0; hop <= MAX_CNAME_HOPS; hop++) {
      List<T> values = new ArrayList<>();
      long ttl = Long.MAX_VALUE;
      Name next = null;
      for (Record record : answers) {
        if (!record.getName().equals(current)) {
          continue;
        }
        if (record.getType() == type.code()) {
          values.add(type.read(record));
          ttl = Math.min(ttl, record.getTTL());
        } else if (record.getType() == Type.CNAME) {
          next = ((CNAMERecord) record).getTarget();
        }
      }
      if (!values.isEmpty()) {
        return new Interpreted<>(new DnsAnswer.Records<>(values, Duration.ofSeconds(ttl)), null);
      }
      if (next == null || next.equals(queried)) {
        break;
      }
      current = next;
      aliased = true;
    }
    if (response.getRcode() == Rcode.NXDOMAIN) {
      return new Interpreted<>(new DnsAnswer.NxDomain<>(negativeTtl(response)), null);
    }
    if (aliased && !current.equals(queried)) {
      // An authoritative server answers only the CNAME when the target lies outside its zones.
      return new Interpreted<>(null, current);
    }
    return new Interpreted<>(new DnsAnswer.NoData<>(negativeTtl(response)), null);
  }

  /** RFC 2308 §5: the SOA's minimum capped by its TTL; without an SOA, not to be cached. */
  private static Duration negativeTtl(Message response) {
    for (Record record : response.getSection(Section.AUTHORITY)) {
      if (record instanceof SOARecord soa) {
        return Duration.ofSeconds(Math.min(soa.getTTL(), soa.getMinimum()));
      }
    }
    return Duration.ZERO;
  }

  private static String describe(InetSocketAddress address) {
    return address.getAddress().getHostAddress() + ":" + address.getPort();
  }

  private static String describe(Throwable error) {
    String message = error.getMessage();
    return error.getClass().getSimpleName() + (message == null ? "" : " (" + message + ")");
  }

  /** Settings for a {@link DnsjavaResolver}. */
  public static final class Builder {
    private final List<InetSocketAddress> nameservers = new ArrayList<>();
    private Duration timeout = Duration.ofSeconds(2);
    private int retries = 1;
    private Executor executor = ForkJoinPool.commonPool();

    private Builder() {}

    /** Adds a server to ask, in order; without any, the system's resolvers are used. */
    public Builder nameserver(InetSocketAddress address) {
      nameservers.add(Objects.requireNonNull(address, "address"));
      return this;
    }

    /** How long to wait for one answer from one server (default 2 s). */
    public Builder timeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive: " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /** How many more rounds over all servers after the first one fails (default 1). */
    public Builder retries(int retries) {
      if (retries < 0 || retries > 10) {
        throw new IllegalArgumentException("retries must be between 0 and 10: " + retries);
      }
      this.retries = retries;
      return this;
    }

    /** Where answers are handed over to callers (default: the common fork-join pool). */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** The resolver. */
    public DnsjavaResolver build() {
      if (nameservers.isEmpty()) {
        nameservers.addAll(ResolverConfig.getCurrentConfig().servers());
      }
      if (nameservers.isEmpty()) {
        throw new IllegalStateException(
            "no name server configured and none found in the system's resolver configuration");
      }
      return new DnsjavaResolver(this);
    }
  }
}

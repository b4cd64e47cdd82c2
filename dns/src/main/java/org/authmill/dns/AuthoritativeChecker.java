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
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * Asks each authoritative name server of a zone directly what TXT records it serves at a name:
 * without recursion (RD clear, RFC 1035 §4.1.1), without any cache, and trusting only answers with
 * the AA bit. A key may be used only when every server of the zone's NS set serves its record, or a
 * verifier that happens to ask the one lagging secondary finds no key (RFC 6376 §3.6.2.2).
 *
 * <pre>{@code
 * AuthoritativeChecker checker = AuthoritativeChecker.builder().timeout(Duration.ofSeconds(2)).build();
 * List<AuthoritativeAnswer> answers =
 *     checker.txt("s1._domainkey.example.com", servers).toCompletableFuture().join();
 * boolean everywhere = answers.stream().allMatch(a -> a.serves(record));
 * }</pre>
 */
public final class AuthoritativeChecker {
  private final Duration timeout;
  private final int retries;
  private final Executor executor;

  private AuthoritativeChecker(Builder builder) {
    this.timeout = builder.timeout;
    this.retries = builder.retries;
    this.executor = builder.executor;
  }

  /** A builder with a 2 s timeout per query and 1 retry. */
  public static Builder builder() {
    return new Builder();
  }

  /** Asks every server, in parallel, for the TXT records at {@code name}; one answer each. */
  public CompletionStage<List<AuthoritativeAnswer>> txt(
      String name, List<InetSocketAddress> servers) {
    Name owner = DnsUpdater.absolute(name);
    List<CompletableFuture<AuthoritativeAnswer>> pending = new ArrayList<>();
    for (InetSocketAddress server : servers) {
      pending.add(ask(owner, server, 0).toCompletableFuture());
    }
    return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
        .thenApply(done -> pending.stream().map(CompletableFuture::join).toList());
  }

  /** True when every answer serves {@code text}. */
  public static boolean allServe(List<AuthoritativeAnswer> answers, String text) {
    return !answers.isEmpty() && answers.stream().allMatch(a -> a.serves(text));
  }

  /** True when no answer serves {@code text} and every server answered with authority. */
  public static boolean noneServe(List<AuthoritativeAnswer> answers, String text) {
    return !answers.isEmpty() && answers.stream().allMatch(a -> a.lacks(text));
  }

  private CompletionStage<AuthoritativeAnswer> ask(Name owner, InetSocketAddress server, int n) {
    SimpleResolver resolver = new SimpleResolver(server);
    resolver.setTimeout(timeout);
    Message query = Message.newQuery(Record.newRecord(owner, Type.TXT, DClass.IN));
    query.getHeader().unsetFlag(Flags.RD);
    return resolver
        .sendAsync(query, executor)
        .handle(
            (response, error) -> {
              if (error != null) {
                Throwable cause =
                    error instanceof CompletionException && error.getCause() != null
                        ? error.getCause()
                        : error;
                return failed(
                    server,
                    "no answer within "
                        + timeout.toMillis()
                        + " ms ("
                        + cause.getClass().getSimpleName()
                        + ")");
              }
              return interpret(owner, server, response);
            })
        .thenCompose(
            answer ->
                answer.failure().isPresent() && n < retries
                    ? ask(owner, server, n + 1)
                    : CompletableFuture.completedFuture(answer));
  }

  private static AuthoritativeAnswer interpret(
      Name owner, InetSocketAddress server, Message response) {
    int rcode = response.getRcode();
    if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
      return failed(server, "answered " + Rcode.string(rcode));
    }
    if (!response.getHeader().getFlag(Flags.AA)) {
      return failed(
          server, "answered without authority (AA bit clear): it does not serve the zone");
    }
    List<String> texts = new ArrayList<>();
    for (Record r : response.getSection(org.xbill.DNS.Section.ANSWER)) {
      if (r instanceof TXTRecord txt && r.getName().equals(owner)) {
        texts.add(String.join("", txt.getStrings()));
      }
    }
    return new AuthoritativeAnswer(server, Optional.of(texts), Optional.empty());
  }

  private static AuthoritativeAnswer failed(InetSocketAddress server, String why) {
    return new AuthoritativeAnswer(server, Optional.empty(), Optional.of(why));
  }

  /** Settings for an {@link AuthoritativeChecker}. */
  public static final class Builder {
    private Duration timeout = Duration.ofSeconds(2);
    private int retries = 1;
    private Executor executor = ForkJoinPool.commonPool();

    private Builder() {}

    /** How long to wait for each answer (default 2 s). */
    public Builder timeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive: " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /** How many times to ask a server again that did not answer (default 1, at most 5). */
    public Builder retries(int retries) {
      if (retries < 0 || retries > 5) {
        throw new IllegalArgumentException("retries must be 0 to 5: " + retries);
      }
      this.retries = retries;
      return this;
    }

    /** Where dnsjava completes its futures (default: the common pool). */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** The checker. */
    public AuthoritativeChecker build() {
      return new AuthoritativeChecker(this);
    }
  }
}

package org.authmill.cli;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.authmill.dns.DnsAnswer;
import org.authmill.dns.DnsResolver;

/**
 * The reverse names (PTR, RFC 1035 §3.5) of report source addresses, each lookup bounded in time; a
 * failure, a missing name or a non-address gives the empty string.
 */
final class ReverseNames {
  private static final Pattern LITERAL = Pattern.compile("[0-9a-fA-F:.]{2,45}");
  private static final int MAX_LOOKUPS = 500;

  /** All lookups of one command together wait at most this long; later sources get no name. */
  private static final Duration BUDGET = Duration.ofSeconds(15);

  private final DnsResolver resolver;
  private final Duration timeout;
  private int lookups;
  private long spentNanos;

  ReverseNames(DnsResolver resolver, Duration timeout) {
    this.resolver = resolver;
    this.timeout = timeout;
  }

  static ReverseNames none() {
    return new ReverseNames(null, Duration.ZERO);
  }

  synchronized String name(String ip) {
    if (resolver == null
        || !LITERAL.matcher(ip).matches()
        || ++lookups > MAX_LOOKUPS
        || spentNanos > BUDGET.toNanos()) {
      return "";
    }
    long start = System.nanoTime();
    try {
      InetAddress address = InetAddress.getByName(ip); // a literal: no lookup
      DnsAnswer<String> answer =
          resolver
              .ptr(address)
              .toCompletableFuture()
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (answer instanceof DnsAnswer.Records<String> records && !records.records().isEmpty()) {
        return records.records().get(0);
      }
      return "";
    } catch (UnknownHostException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    } catch (Exception e) {
      return "";
    } finally {
      spentNanos += System.nanoTime() - start;
    }
  }
}

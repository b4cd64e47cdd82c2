package org.authmill.spf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.authmill.dns.DnsAnswer;
import org.authmill.dns.DnsResolver;
import org.authmill.dns.RecordType;

/** Wraps a resolver and records every query it is asked, for tests that bound DNS work. */
final class CountingResolver implements DnsResolver {
  private final DnsResolver delegate;
  private final List<String> queries = Collections.synchronizedList(new ArrayList<>());

  CountingResolver(DnsResolver delegate) {
    this.delegate = delegate;
  }

  @Override
  public <T> CompletionStage<DnsAnswer<T>> lookup(String name, RecordType<T> type) {
    queries.add(type + " " + name);
    return delegate.lookup(name, type);
  }

  int count() {
    return queries.size();
  }

  List<String> queries() {
    return List.copyOf(queries);
  }
}

package org.authmill.milter;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Several filters run as one, in order. At connect, HELO, MAIL and RCPT the first verdict other
 * than continue wins and the later filters do not see that event. At end of message every filter
 * decides; the first decision that does not deliver (reject, tempfail, discard) wins, otherwise the
 * header changes of all are made, the first quarantine holds, and the log details merge.
 */
public final class FilterChain implements MailFilterFactory {
  private final List<MailFilterFactory> factories;

  /** A chain of the given factories, in order. */
  public FilterChain(List<MailFilterFactory> factories) {
    this.factories = List.copyOf(factories);
    if (this.factories.isEmpty()) {
      throw new IllegalArgumentException("a filter chain needs at least one filter");
    }
  }

  @Override
  public MailFilter create() {
    List<MailFilter> filters = new ArrayList<>();
    for (MailFilterFactory f : factories) {
      filters.add(f.create());
    }
    return new Chained(filters);
  }

  @Override
  public Set<MailEvent> events() {
    Set<MailEvent> all = EnumSet.noneOf(MailEvent.class);
    factories.forEach(f -> all.addAll(f.events()));
    return all;
  }

  @Override
  public Set<MailEvent> decisions() {
    Set<MailEvent> all = EnumSet.noneOf(MailEvent.class);
    factories.forEach(f -> all.addAll(f.decisions()));
    return all;
  }

  @Override
  public boolean quarantines() {
    return factories.stream().anyMatch(MailFilterFactory::quarantines);
  }

  private static final class Chained implements MailFilter {
    private final List<MailFilter> filters;

    Chained(List<MailFilter> filters) {
      this.filters = filters;
    }

    private CompletionStage<Verdict> firstVerdict(
        Function<MailFilter, CompletionStage<Verdict>> call) {
      CompletionStage<Verdict> result = Verdict.PROCEED;
      for (MailFilter f : filters) {
        result =
            result.thenCompose(
                v ->
                    v.action() == Verdict.Action.CONTINUE
                        ? call.apply(f)
                        : CompletableFuture.completedFuture(v));
      }
      return result;
    }

    private CompletionStage<Void> all(Function<MailFilter, CompletionStage<Void>> call) {
      CompletionStage<Void> result = DONE;
      for (MailFilter f : filters) {
        result = result.thenCompose(v -> call.apply(f));
      }
      return result;
    }

    @Override
    public CompletionStage<Verdict> connect(ClientInfo client, Macros macros) {
      return firstVerdict(f -> f.connect(client, macros));
    }

    @Override
    public CompletionStage<Verdict> helo(String name, Macros macros) {
      return firstVerdict(f -> f.helo(name, macros));
    }

    @Override
    public CompletionStage<Verdict> mailFrom(String sender, List<String> args, Macros macros) {
      return firstVerdict(f -> f.mailFrom(sender, args, macros));
    }

    @Override
    public CompletionStage<Verdict> rcpt(String recipient, List<String> args, Macros macros) {
      return firstVerdict(f -> f.rcpt(recipient, args, macros));
    }

    @Override
    public CompletionStage<Void> header(String name, String value) {
      return all(f -> f.header(name, value));
    }

    @Override
    public CompletionStage<Void> endOfHeaders(Macros macros) {
      return all(f -> f.endOfHeaders(macros));
    }

    @Override
    public CompletionStage<Void> body(ByteBuffer chunk) {
      return all(f -> f.body(chunk.duplicate()));
    }

    @Override
    public CompletionStage<Decision> endOfMessage(Macros macros) {
      CompletionStage<List<Decision>> acc = CompletableFuture.completedFuture(new ArrayList<>());
      for (MailFilter f : filters) {
        acc =
            acc.thenCompose(
                list ->
                    f.endOfMessage(macros)
                        .thenApply(
                            d -> {
                              list.add(d);
                              return list;
                            }));
      }
      return acc.thenApply(Chained::merge);
    }

    private static Decision merge(List<Decision> decisions) {
      for (Decision d : decisions) {
        if (!d.delivers()) {
          return d;
        }
      }
      Verdict verdict = Verdict.proceed();
      Optional<String> quarantine = Optional.empty();
      List<HeaderChange> changes = new ArrayList<>();
      Map<String, String> details = new LinkedHashMap<>();
      for (Decision d : decisions) {
        if (d.verdict().action() == Verdict.Action.ACCEPT
            && verdict.action() == Verdict.Action.CONTINUE) {
          verdict = d.verdict();
        }
        if (quarantine.isEmpty()) {
          quarantine = d.quarantine();
        }
        changes.addAll(d.changes());
        details.putAll(d.details());
      }
      return new Decision(verdict, quarantine, changes, details);
    }

    @Override
    public void abort() {
      filters.forEach(MailFilter::abort);
    }

    @Override
    public void close() {
      filters.forEach(MailFilter::close);
    }
  }
}

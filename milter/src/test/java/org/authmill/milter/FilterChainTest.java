package org.authmill.milter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class FilterChainTest {
  private static final ClientInfo CLIENT = new ClientInfo("c", Optional.empty(), 0);

  /** A filter with a fixed MAIL verdict and decision, recording its calls. */
  private static final class Fixed implements MailFilter {
    final List<String> calls = new ArrayList<>();
    final Verdict mail;
    final Decision decision;

    Fixed(Verdict mail, Decision decision) {
      this.mail = mail;
      this.decision = decision;
    }

    @Override
    public CompletionStage<Verdict> mailFrom(String sender, List<String> args, Macros macros) {
      calls.add("mail");
      return mail.completed();
    }

    @Override
    public CompletionStage<Void> body(ByteBuffer chunk) {
      calls.add("body " + chunk.remaining());
      chunk.position(chunk.limit()); // consuming must not starve the next filter
      return DONE;
    }

    @Override
    public CompletionStage<Decision> endOfMessage(Macros macros) {
      calls.add("eom");
      return decision.completed();
    }

    @Override
    public void close() {
      calls.add("close");
    }
  }

  private static MailFilterFactory of(MailFilter f, Set<MailEvent> events, boolean holds) {
    return new MailFilterFactory() {
      @Override
      public MailFilter create() {
        return f;
      }

      @Override
      public Set<MailEvent> events() {
        return events;
      }

      @Override
      public boolean quarantines() {
        return holds;
      }
    };
  }

  @Test
  void mailFrom_firstNonContinueWinsAndStops() {
    Fixed a =
        new Fixed(
            Verdict.reject(SmtpReply.of(550, "5.7.23", "spf fail"), "spf"), Decision.proceed());
    Fixed b = new Fixed(Verdict.proceed(), Decision.proceed());
    MailFilter chain = new FilterChain(List.of(() -> a, () -> b)).create();
    Verdict v = chain.mailFrom("x@y", List.of(), Macros.NONE).toCompletableFuture().join();
    assertThat(v.action()).isEqualTo(Verdict.Action.REJECT);
    assertThat(b.calls).isEmpty();
    chain.connect(CLIENT, Macros.NONE).toCompletableFuture().join();
  }

  @Test
  void body_everyFilterSeesTheWholeChunk() {
    Fixed a = new Fixed(Verdict.proceed(), Decision.proceed());
    Fixed b = new Fixed(Verdict.proceed(), Decision.proceed());
    MailFilter chain = new FilterChain(List.of(() -> a, () -> b)).create();
    chain.body(ByteBuffer.wrap(new byte[10]).asReadOnlyBuffer()).toCompletableFuture().join();
    assertThat(a.calls).containsExactly("body 10");
    assertThat(b.calls).containsExactly("body 10");
  }

  @Test
  void endOfMessage_mergesChangesQuarantineAndDetails() {
    Fixed a =
        new Fixed(
            Verdict.proceed(),
            Decision.proceed()
                .withChanges(List.of(new HeaderChange.Delete("Authentication-Results", 1)))
                .withDetail("a", "1"));
    Fixed b =
        new Fixed(
            Verdict.proceed(),
            Decision.of(Verdict.accept("ok"))
                .withChanges(
                    List.of(new HeaderChange.Insert(0, "Authentication-Results", "mx; none")))
                .withQuarantine("held")
                .withDetail("b", "2"));
    MailFilter chain = new FilterChain(List.of(() -> a, () -> b)).create();
    Decision d = chain.endOfMessage(Macros.NONE).toCompletableFuture().join();
    assertThat(d.verdict().action()).isEqualTo(Verdict.Action.ACCEPT);
    assertThat(d.changes()).hasSize(2);
    assertThat(d.quarantine()).contains("held");
    assertThat(d.details()).containsEntry("a", "1").containsEntry("b", "2");
    chain.close();
    assertThat(a.calls).endsWith("close");
    assertThat(b.calls).endsWith("close");
  }

  @Test
  void endOfMessage_aRejectWins() {
    Fixed a =
        new Fixed(
            Verdict.proceed(),
            Decision.proceed().withChanges(List.of(new HeaderChange.Add("X", "y"))));
    Decision reject =
        Decision.of(Verdict.reject(SmtpReply.of(550, "5.7.1", "dmarc"), "dmarc=fail"));
    Fixed b = new Fixed(Verdict.proceed(), reject);
    Decision d =
        new FilterChain(List.of(() -> a, () -> b))
            .create()
            .endOfMessage(Macros.NONE)
            .toCompletableFuture()
            .join();
    assertThat(d).isEqualTo(reject);
  }

  @Test
  void events_unionAndQuarantineAny() {
    Fixed f = new Fixed(Verdict.proceed(), Decision.proceed());
    FilterChain chain =
        new FilterChain(
            List.of(
                of(f, EnumSet.of(MailEvent.CONNECT, MailEvent.HEADER), false),
                of(f, EnumSet.of(MailEvent.MAIL), true)));
    assertThat(chain.events())
        .containsExactlyInAnyOrder(MailEvent.CONNECT, MailEvent.HEADER, MailEvent.MAIL);
    assertThat(chain.quarantines()).isTrue();
  }

  @Test
  void constructor_emptyIsMisuse() {
    assertThatThrownBy(() -> new FilterChain(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

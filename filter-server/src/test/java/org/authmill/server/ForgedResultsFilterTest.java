package org.authmill.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class ForgedResultsFilterTest {
  private static Decision eom(MailFilter f) {
    return f.endOfMessage(Macros.NONE).toCompletableFuture().join();
  }

  @Test
  void endOfMessage_deletesEachClaimingFieldByOccurrence() {
    MailFilter f = new ForgedResultsFilter("mx.example.org");
    f.header("Authentication-Results", " other.example; spf=pass");
    f.header("Received", " from x");
    f.header("AUTHENTICATION-RESULTS", " mx.example.org; dkim=pass");
    f.header("Authentication-Results", "\n\t(forged) MX.EXAMPLE.ORG; dmarc=pass");
    f.header("ARC-Authentication-Results", " i=1; mx.example.org; spf=pass");
    Decision d = eom(f);
    assertThat(d.delivers()).isTrue();
    assertThat(d.changes())
        .containsExactly(
            new HeaderChange.Delete("Authentication-Results", 2),
            new HeaderChange.Delete("Authentication-Results", 3));
    assertThat(d.details()).containsEntry("forged_ar_removed", "2");
  }

  @Test
  void endOfMessage_nothingForgedNoChanges() {
    MailFilter f = new ForgedResultsFilter("mx.example.org");
    f.header("Authentication-Results", " other.example; spf=pass");
    Decision d = eom(f);
    assertThat(d.changes()).isEmpty();
    assertThat(d.details()).isEmpty();
  }

  @Test
  void abort_resetsCountsForTheNextMessage() {
    MailFilter f = new ForgedResultsFilter("mx.example.org");
    f.header("Authentication-Results", " other.example; spf=pass");
    f.abort();
    f.header("Authentication-Results", " mx.example.org; spf=pass");
    assertThat(eom(f).changes())
        .containsExactly(new HeaderChange.Delete("Authentication-Results", 1));
    // and after a completed message too
    f.header("Authentication-Results", " mx.example.org; spf=pass");
    assertThat(eom(f).changes())
        .containsExactly(new HeaderChange.Delete("Authentication-Results", 1));
  }

  @Test
  void factory_asksForHeadersOnly() {
    MailFilterFactory factory = ForgedResultsFilter.factory("mx.example.org");
    assertThat(factory.events()).isEqualTo(EnumSet.of(MailEvent.CONNECT, MailEvent.HEADER));
    assertThat(factory.quarantines()).isFalse();
    assertThat(factory.create()).isNotSameAs(factory.create());
  }

  @Test
  void constructor_blankIdIsMisuse() {
    assertThatThrownBy(() -> ForgedResultsFilter.factory(" "))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

package org.authmill.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import org.authmill.milter.Decision;
import org.authmill.milter.HeaderChange;
import org.authmill.milter.Macros;
import org.authmill.milter.MailEvent;
import org.authmill.milter.MailFilter;
import org.authmill.milter.MailFilterFactory;
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

  /** Each value claims mx.example.org, however it is spelled; each must be removed. */
  private static final String[] FORGED = {
    " mx.example.org; spf=pass",
    " MX.Example.ORG; spf=pass",
    "mx.example.org;spf=pass",
    "\tmx.example.org\t;\tdkim=pass",
    "   mx.example.org    ; dmarc=pass",
    " (comment) mx.example.org; spf=pass",
    " (nested (comment) \\) here) mx.example.org (after); spf=pass",
    "\n\tmx.example.org;\n\tspf=pass",
    " (folded\n\t comment)\n mx.example.org\n ; dkim=pass",
    " \"mx.example.org\"; spf=pass",
    " \"MX.EXAMPLE.ORG\" (quoted); spf=pass",
    " mx.example.org 1; spf=pass",
    " mx.example.org/x; spf=pass",
    " mx.example.org",
    " mx.example.org; none",
    " mx.example.org; this is not = valid (syntax",
    " mx.example.org\r\n\t; spf=pass",
  };

  @Test
  void endOfMessage_removesEveryFormOfOurAuthservId() {
    for (String value : FORGED) {
      MailFilter f = new ForgedResultsFilter("mx.example.org");
      f.header("Authentication-Results", value);
      assertThat(eom(f).changes())
          .as("forged: [%s]", value)
          .containsExactly(new HeaderChange.Delete("Authentication-Results", 1));
    }
  }

  @Test
  void endOfMessage_fieldNameInAnyCaseOrWithWhiteSpaceBeforeTheColon() {
    for (String name :
        new String[] {
          "Authentication-Results",
          "authentication-results",
          "AUTHENTICATION-RESULTS",
          "AuThEnTiCaTiOn-ReSuLtS",
          "Authentication-Results ",
          "Authentication-Results\t"
        }) {
      MailFilter f = new ForgedResultsFilter("mx.example.org");
      f.header(name, " mx.example.org; spf=pass");
      assertThat(eom(f).changes()).as("name [%s]", name).hasSize(1);
    }
  }

  @Test
  void endOfMessage_otherIdentifiersAndLookAlikesStay() {
    for (String value :
        new String[] {
          " other.example; spf=pass",
          " mx.example.org.evil.example; spf=pass",
          " evil-mx.example.org; spf=pass",
          " xmx.example.org; spf=pass",
          " (mx.example.org) other.example; spf=pass",
          " \"other.example\" (mx.example.org); spf=pass",
          " other.example; spf=pass smtp.mailfrom=mx.example.org",
        }) {
      MailFilter f = new ForgedResultsFilter("mx.example.org");
      f.header("Authentication-Results", value);
      assertThat(eom(f).changes()).as("kept: [%s]", value).isEmpty();
    }
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

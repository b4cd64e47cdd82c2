package org.authmill.server;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.authmill.auth.results.AuthenticationResults;
import org.authmill.milter.Decision;
import org.authmill.milter.HeaderChange;
import org.authmill.milter.Macros;
import org.authmill.milter.MailEvent;
import org.authmill.milter.MailFilter;
import org.authmill.milter.MailFilterFactory;

/**
 * RFC 8601 §5: removes every Authentication-Results field that claims to come from our own
 * authserv-id, since only we may write those; fields of other authserv-ids stay. The field name and
 * the authserv-id are compared case-insensitively, through whitespace, folds and comments. Only
 * headers and end-of-message are asked of the MTA.
 */
public final class ForgedResultsFilter implements MailFilter {
  /** The field name (RFC 8601 §2.2). */
  public static final String FIELD = "Authentication-Results";

  private final String authservId;
  private int occurrence;
  private final List<Integer> forged = new ArrayList<>();

  /** A filter for one connection that removes fields claiming {@code authservId}. */
  public ForgedResultsFilter(String authservId) {
    this.authservId = Objects.requireNonNull(authservId, "authservId");
    if (authservId.isBlank()) {
      throw new IllegalArgumentException("authserv-id must not be blank");
    }
  }

  /** The factory, which asks the MTA for headers only. */
  public static MailFilterFactory factory(String authservId) {
    new ForgedResultsFilter(authservId); // validate early
    return new MailFilterFactory() {
      @Override
      public MailFilter create() {
        return new ForgedResultsFilter(authservId);
      }

      @Override
      public Set<MailEvent> events() {
        return EnumSet.of(MailEvent.CONNECT, MailEvent.HEADER);
      }

      /** It only removes fields at the end of the message: no verdict before it. */
      @Override
      public Set<MailEvent> decisions() {
        return EnumSet.noneOf(MailEvent.class);
      }
    };
  }

  @Override
  public CompletionStage<Void> header(String name, String value) {
    // RFC 5322 §4.5.3 (obsolete syntax) allows white space before the colon: an MTA that passes
    // it along must not let "Authentication-Results :" slip past.
    if (name.strip().equalsIgnoreCase(FIELD)) {
      occurrence++;
      if (AuthenticationResults.claims(value, authservId)) {
        forged.add(occurrence);
      }
    }
    return DONE;
  }

  @Override
  public CompletionStage<Decision> endOfMessage(Macros macros) {
    List<HeaderChange> changes = new ArrayList<>();
    for (int n : forged) {
      changes.add(new HeaderChange.Delete(FIELD, n));
    }
    Decision d = Decision.proceed().withChanges(changes);
    if (!forged.isEmpty()) {
      d = d.withDetail("forged_ar_removed", Integer.toString(forged.size()));
    }
    reset();
    return d.completed();
  }

  @Override
  public void abort() {
    reset();
  }

  private void reset() {
    occurrence = 0;
    forged.clear();
  }
}

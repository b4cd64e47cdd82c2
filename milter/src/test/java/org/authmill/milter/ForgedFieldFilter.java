package org.authmill.milter;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * A test filter in the manner of the authmill filter, with no SPF or DKIM behind it: it deletes
 * every {@code Authentication-Results} field whose authserv-id (the first word, after white space
 * and comments) is its own, keeps the others, and (when stamping) inserts a field of its own at the
 * top. The milter tests drive sessions with it instead of the real pipeline.
 */
final class ForgedFieldFilter implements MailFilter {
  static final String FIELD = "Authentication-Results";

  private final String authservId;
  private final boolean stamp;
  private int occurrence;
  private final List<Integer> forged = new ArrayList<>();

  private ForgedFieldFilter(String authservId, boolean stamp) {
    this.authservId = authservId;
    this.stamp = stamp;
  }

  /** Removes forged fields only; asks the MTA for the connection and headers, nothing more. */
  static MailFilterFactory factory(String authservId) {
    return new MailFilterFactory() {
      @Override
      public MailFilter create() {
        return new ForgedFieldFilter(authservId, false);
      }

      @Override
      public Set<MailEvent> events() {
        return EnumSet.of(MailEvent.CONNECT, MailEvent.HEADER);
      }
    };
  }

  /** Removes forged fields and inserts its own; asks the MTA for every event. */
  static MailFilterFactory stamping(String authservId) {
    return () -> new ForgedFieldFilter(authservId, true);
  }

  /** The authserv-id a field value names: its first word, past white space and comments. */
  static String authservIdOf(String value) {
    int i = 0;
    int depth = 0;
    while (i < value.length()) {
      char c = value.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')' && depth > 0) {
        depth--;
      } else if (depth == 0 && !Character.isWhitespace(c)) {
        break;
      }
      i++;
    }
    int start = i;
    while (i < value.length()
        && value.charAt(i) != ';'
        && value.charAt(i) != '('
        && !Character.isWhitespace(value.charAt(i))) {
      i++;
    }
    return value.substring(start, i).toLowerCase(Locale.ROOT);
  }

  @Override
  public CompletionStage<Void> header(String name, String value) {
    if (name.strip().equalsIgnoreCase(FIELD)) {
      occurrence++;
      if (authservIdOf(value).equals(authservId.toLowerCase(Locale.ROOT))) {
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
    if (stamp) {
      changes.add(new HeaderChange.Insert(0, FIELD, authservId + "; none"));
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

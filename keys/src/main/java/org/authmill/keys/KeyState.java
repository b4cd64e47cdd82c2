package org.authmill.keys;

import java.util.Locale;

/** Where one key is in its lifecycle; the keyword is what the state file and the status show. */
public enum KeyState {
  /** Generated; its record is still to be sent by DNS UPDATE (or the last attempt failed). */
  PENDING_PUBLISH,
  /** Generated; its record was printed for the operator, who runs {@code keys confirm}. */
  AWAITING_CONFIRM,
  /** Published at the primary; not every authoritative server serves it yet. */
  PUBLISHED,
  /** Every authoritative server serves its record: the key signs. */
  ACTIVE,
  /**
   * A newer key is active; this key's record stays published until its retirement time (and the key
   * still signs when overlap is on).
   */
  RETIRING,
  /** No longer signs; its record is still to be removed or revoked. */
  RETIRED,
  /** Its record is removed or revoked and its private key deleted or archived: done. */
  REMOVED;

  /** The keyword, such as {@code pending-publish}. */
  public String keyword() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The state for a keyword. */
  public static KeyState fromKeyword(String keyword) {
    for (KeyState s : values()) {
      if (s.keyword().equals(keyword)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown key state: " + keyword);
  }

  /** True for the states before the key signs (a rotation in progress). */
  public boolean inProgress() {
    return this == PENDING_PUBLISH || this == AWAITING_CONFIRM || this == PUBLISHED;
  }
}

package org.authmill.keys;

import java.util.Locale;

/** What retirement does with an old key's record (RFC 6376 §3.6.1 for the revocation). */
public enum RemovalMode {
  /** Deletes the TXT record. */
  DELETE,
  /** Replaces it with the same record with an empty {@code p=}: the key is revoked. */
  REVOKE;

  /** The keyword: {@code delete} or {@code revoke}. */
  public String keyword() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The mode for a keyword, naming the bad value otherwise. */
  public static RemovalMode parse(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "delete" -> DELETE;
      case "revoke" -> REVOKE;
      default ->
          throw new IllegalArgumentException(
              "record removal " + text + ": expected delete or revoke");
    };
  }
}

package org.authmill.dkim;

import java.util.Objects;

/**
 * What parsing a DKIM key record (RFC 6376 §3.6.1) gave: a usable {@link DkimKeyRecord} or the
 * reason it is invalid. A value, so that a filter can cache it under (selector, domain, text).
 */
public sealed interface DkimKeyParse permits DkimKeyParse.Valid, DkimKeyParse.Invalid {

  /**
   * A syntactically valid key record (RFC 6376 §3.6.1), possibly revoked: see {@link
   * DkimKeyRecord#revoked()}.
   *
   * @param key the parsed record
   */
  record Valid(DkimKeyRecord key) implements DkimKeyParse {
    public Valid {
      Objects.requireNonNull(key, "key");
    }
  }

  /**
   * A record that cannot be used (RFC 6376 §3.6.1 syntax; §6.1.2: PERMFAIL).
   *
   * @param reason what is wrong with it, for the operator
   */
  record Invalid(String reason) implements DkimKeyParse {
    public Invalid {
      Objects.requireNonNull(reason, "reason");
    }
  }
}

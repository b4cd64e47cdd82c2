package org.authmill.auth.results;

import java.util.Locale;
import java.util.Objects;

/**
 * A property of a method result, {@code ptype.property=pvalue} (RFC 8601 §2.2 and §2.3), such as
 * {@code smtp.mailfrom=example.com} or {@code header.d=example.com}.
 *
 * @param ptype the property type ({@code smtp}, {@code header}, {@code body}, {@code policy}),
 *     stored in lower case
 * @param property the property name, stored in lower case
 * @param value the value as it reads, without quotes
 */
public record ResultProperty(String ptype, String property, String value) {
  public ResultProperty {
    ptype = AuthenticationResults.keyword("ptype", ptype);
    property = AuthenticationResults.keyword("property", property);
    Objects.requireNonNull(value, "value");
  }

  /** The property as written: {@code ptype.property=pvalue}, quoted where needed. */
  @Override
  public String toString() {
    return ptype + "." + property + "=" + HeaderText.propertyValue(value);
  }

  /** The name {@code ptype.property}. */
  public String name() {
    return ptype + "." + property.toLowerCase(Locale.ROOT);
  }
}

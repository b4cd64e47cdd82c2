package org.authmill.milter;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The MTA's macros known at one event (Sendmail's names; Postfix's list is in its MILTER_README),
 * with names normalised by stripping braces: {@code i} (queue id), {@code j}, {@code daemon_name},
 * {@code auth_authen} (the SASL login: mail is outbound), {@code mail_addr}... A message's macros
 * are dropped when the message ends; the connection's stay.
 */
public record Macros(Map<String, String> values) {
  /** No macros. */
  public static final Macros NONE = new Macros(Map.of());

  /** Copies, normalising each name. */
  public Macros {
    Map<String, String> copy = new LinkedHashMap<>();
    values.forEach((name, value) -> copy.put(normalise(name), value));
    values = java.util.Collections.unmodifiableMap(copy);
  }

  /** The value of a macro, by its name with or without braces ({@code {i}} or {@code i}). */
  public Optional<String> get(String name) {
    return Optional.ofNullable(values.get(normalise(name)));
  }

  /** The MTA's queue id ({@code i}), once it has one. */
  public Optional<String> queueId() {
    return get("i");
  }

  /** The name without surrounding braces: {@code {daemon_name}} becomes {@code daemon_name}. */
  static String normalise(String name) {
    if (name.length() >= 2 && name.charAt(0) == '{' && name.charAt(name.length() - 1) == '}') {
      return name.substring(1, name.length() - 1);
    }
    return name;
  }
}

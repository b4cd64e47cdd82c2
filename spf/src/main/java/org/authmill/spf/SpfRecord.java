package org.authmill.spf;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed SPF version 1 record (RFC 7208 §4.5, §4.6): its directives in order, the {@code
 * redirect=} and {@code exp=} modifiers (§6.1, §6.2; each at most once) and any unknown modifiers,
 * which are kept but ignored (§6).
 *
 * @param text the record as published
 * @param directives the directives, evaluated left to right
 * @param redirect the {@code redirect=} domain-spec, if any
 * @param explanation the {@code exp=} domain-spec, if any
 * @param unknownModifiers the other modifiers, in order
 */
public record SpfRecord(
    String text,
    List<Directive> directives,
    Optional<MacroString> redirect,
    Optional<MacroString> explanation,
    List<UnknownModifier> unknownModifiers) {

  /** A modifier that RFC 7208 does not define; ignored by evaluation (§6). */
  public record UnknownModifier(String name, MacroString value) {
    public UnknownModifier {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
    }
  }

  public SpfRecord {
    Objects.requireNonNull(text, "text");
    directives = List.copyOf(directives);
    Objects.requireNonNull(redirect, "redirect");
    Objects.requireNonNull(explanation, "explanation");
    unknownModifiers = List.copyOf(unknownModifiers);
  }

  /** True when the record has an {@code all} mechanism, which makes {@code redirect=} moot. */
  public boolean hasAll() {
    return directives.stream().anyMatch(d -> d.mechanism() instanceof Mechanism.All);
  }

  /**
   * How many terms of this record query the DNS (§4.6.4): the DNS mechanisms, plus the {@code
   * redirect=} unless an {@code all} makes it unreachable (§6.1).
   */
  public int dnsTermCount() {
    int count = (int) directives.stream().filter(d -> d.mechanism().queriesDns()).count();
    return count + (redirect.isPresent() && !hasAll() ? 1 : 0);
  }
}

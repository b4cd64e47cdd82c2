package org.authmill.milter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What a filter decides at the end of a message: the final {@link Verdict}, an optional quarantine
 * (the MTA's hold queue) with its reason, the header changes to make (RFC 8601 §5: add
 * Authentication-Results, remove forged ones) and details for the per-message log line ({@code
 * spf=pass}, {@code dmarc=fail (p=reject)}...). Changes and quarantine apply only when the verdict
 * delivers the message (continue or accept).
 */
public record Decision(
    Verdict verdict,
    Optional<String> quarantine,
    List<HeaderChange> changes,
    Map<String, String> details) {

  /** Validates and copies. */
  public Decision {
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(quarantine, "quarantine");
    changes = List.copyOf(changes);
    details = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
    if (quarantine.isPresent() && quarantine.get().isBlank()) {
      throw new IllegalArgumentException("a quarantine needs a reason");
    }
  }

  /** Deliver unchanged. */
  public static Decision proceed() {
    return new Decision(Verdict.proceed(), Optional.empty(), List.of(), Map.of());
  }

  /** The given verdict, no changes. */
  public static Decision of(Verdict verdict) {
    return new Decision(verdict, Optional.empty(), List.of(), Map.of());
  }

  /** This decision with more header changes appended. */
  public Decision withChanges(List<HeaderChange> more) {
    List<HeaderChange> all = new ArrayList<>(changes);
    all.addAll(more);
    return new Decision(verdict, quarantine, all, details);
  }

  /** This decision with the message held in quarantine for the given reason. */
  public Decision withQuarantine(String reason) {
    return new Decision(verdict, Optional.of(reason), changes, details);
  }

  /** This decision with one more detail for the log line. */
  public Decision withDetail(String key, String value) {
    Map<String, String> all = new LinkedHashMap<>(details);
    all.put(key, value);
    return new Decision(verdict, quarantine, changes, all);
  }

  /** True when the verdict lets the message through (continue or accept). */
  public boolean delivers() {
    return verdict.action() == Verdict.Action.CONTINUE || verdict.action() == Verdict.Action.ACCEPT;
  }

  /** This decision as a completed stage. */
  public CompletionStage<Decision> completed() {
    return CompletableFuture.completedFuture(this);
  }
}

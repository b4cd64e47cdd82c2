package org.authmill.keys;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one run of a lifecycle step achieved for a key, and what the operator should do next.
 *
 * @param status done, waiting (resumes later by itself or after {@code keys confirm}), or failed
 *     (needs the operator: a rejected TSIG key, a refused UPDATE, a zone not found)
 * @param key the key the step was about, as it is now, or empty when no key was touched
 * @param message what happened and what to do, one sentence or a few
 */
public record RotationOutcome(Status status, Optional<ManagedKey> key, String message) {
  /** The kinds of outcome. */
  public enum Status {
    /** The step is done (for {@code rotate}: the new key signs). */
    DONE,
    /** The step waits: for the name servers, a timeout to pass, or the operator's confirmation. */
    WAITING,
    /** The step failed for a reason the operator must fix; it is retried after that. */
    FAILED
  }

  /** Validates. */
  public RotationOutcome {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(message, "message");
  }

  /** The worst status of several outcomes: FAILED over WAITING over DONE. */
  public static Status worst(List<RotationOutcome> outcomes) {
    Status worst = Status.DONE;
    for (RotationOutcome o : outcomes) {
      if (o.status.ordinal() > worst.ordinal()) {
        worst = o.status;
      }
    }
    return worst;
  }
}

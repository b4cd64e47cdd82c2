package org.authmill.keys;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What comes next for a key, and when: {@code publish}, {@code confirm}, {@code verify}, {@code
 * rotate}, {@code retire}, {@code remove-record}, {@code confirm-removal}, or nothing.
 *
 * @param step the step's name, or empty when the key is done
 * @param at when it is due; empty when as soon as possible or when it waits for the operator
 */
public record NextStep(Optional<String> step, Optional<Instant> at) {
  /** Validates. */
  public NextStep {
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(at, "at");
  }

  static NextStep none() {
    return new NextStep(Optional.empty(), Optional.empty());
  }

  static NextStep now(String step) {
    return new NextStep(Optional.of(step), Optional.empty());
  }

  static NextStep at(String step, Instant when) {
    return new NextStep(Optional.of(step), Optional.of(when));
  }
}

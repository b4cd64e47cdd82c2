package org.authmill.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The time a paired benchmark spent in each of its two sides during one iteration, reported by JMH
 * as secondary results ({@code authmillNanos}, {@code peerNanos}); the report divides them.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class PairedCounters {
  /** Nanoseconds spent in authmill's side in this iteration. */
  public long authmillNanos;

  /** Nanoseconds spent in the other side (the floor or jDKIM) in this iteration. */
  public long peerNanos;

  @Setup(Level.Iteration)
  public void reset() {
    authmillNanos = 0;
    peerNanos = 0;
  }
}

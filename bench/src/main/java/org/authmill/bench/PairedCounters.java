package org.authmill.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

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

  /** One side of a pair: one DKIM verification or signature, whose result JMH consumes. */
  @FunctionalInterface
  interface Side {
    Object run() throws Exception;
  }

  /**
   * Runs both sides once, authmill's first or second as asked, and adds each side's time to its
   * counter.
   */
  void time(boolean authmillFirst, Side authmill, Side peer, Blackhole blackhole) throws Exception {
    long start = System.nanoTime();
    blackhole.consume((authmillFirst ? authmill : peer).run());
    long middle = System.nanoTime();
    blackhole.consume((authmillFirst ? peer : authmill).run());
    long end = System.nanoTime();
    authmillNanos += authmillFirst ? middle - start : end - middle;
    peerNanos += authmillFirst ? end - middle : middle - start;
  }
}

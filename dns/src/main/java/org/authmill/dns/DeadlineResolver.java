package org.authmill.dns;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Bounds the DNS work of one task (one message, one check) in time: every lookup still unanswered
 * at the deadline, and every lookup asked after it, is a {@link DnsAnswer.TempFailure}. SPF, DKIM
 * and DMARC turn that into their temperror (RFC 7208 §4.4, RFC 6376 §6.1.2, RFC 9989 §4.10.1), so a
 * slow or silent name server delays a verdict by at most the deadline, however many lookups the
 * records ask for.
 *
 * <p>Answers shared with other tasks (a {@link CachingResolver}'s) are not disturbed: the deadline
 * ends only this task's wait.
 */
public final class DeadlineResolver implements DnsResolver {
  private final DnsResolver delegate;
  private final long deadlineNanos;
  private final Duration budget;
  private final LongSupplier nanoTime;

  /**
   * A resolver whose lookups end {@code budget} from now (measured with {@code nanoTime}, such as
   * {@code System::nanoTime}).
   */
  public DeadlineResolver(DnsResolver delegate, Duration budget, LongSupplier nanoTime) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    if (budget.isNegative()) {
      throw new IllegalArgumentException("negative budget: " + budget);
    }
    this.budget = budget;
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    this.deadlineNanos = nanoTime.getAsLong() + budget.toNanos();
  }

  /** A resolver whose lookups end {@code budget} from now, on the system's nano clock. */
  public DeadlineResolver(DnsResolver delegate, Duration budget) {
    this(delegate, budget, System::nanoTime);
  }

  @Override
  public <T> CompletionStage<DnsAnswer<T>> lookup(String name, RecordType<T> type) {
    long remaining = deadlineNanos - nanoTime.getAsLong();
    if (remaining <= 0) {
      return CompletableFuture.completedFuture(late(name, type));
    }
    // A stage of our own, so that completing it early leaves a shared (cached) answer alone.
    CompletableFuture<DnsAnswer<T>> own =
        delegate.lookup(name, type).toCompletableFuture().thenApply(answer -> answer);
    return own.completeOnTimeout(late(name, type), remaining, TimeUnit.NANOSECONDS);
  }

  private <T> DnsAnswer<T> late(String name, RecordType<T> type) {
    return new DnsAnswer.TempFailure<>(
        "no answer for "
            + name
            + "/"
            + type
            + " within the DNS budget of "
            + budget.toMillis()
            + " ms");
  }
}

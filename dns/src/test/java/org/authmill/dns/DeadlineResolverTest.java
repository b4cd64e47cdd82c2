package org.authmill.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DeadlineResolverTest {
  private static final ZoneResolver ZONE = ZoneResolver.fromText("a.test. IN TXT \"x\"\n");

  @Test
  void lookup_beforeDeadline_answersFromDelegate() {
    DeadlineResolver r = new DeadlineResolver(ZONE, Duration.ofSeconds(10));
    assertThat(r.txt("a.test").toCompletableFuture().join().values()).containsExactly("x");
  }

  @Test
  void lookup_afterDeadline_tempFailureWithoutAsking() {
    AtomicLong now = new AtomicLong();
    DeadlineResolver r = new DeadlineResolver(ZONE, Duration.ofSeconds(1), now::get);
    now.addAndGet(Duration.ofSeconds(2).toNanos());
    DnsAnswer<String> answer = r.txt("a.test").toCompletableFuture().join();
    assertThat(answer).isInstanceOf(DnsAnswer.TempFailure.class);
    assertThat(((DnsAnswer.TempFailure<String>) answer).reason()).contains("a.test/TXT");
  }

  @Test
  void lookup_unansweredAtDeadline_tempFailure_sharedAnswerUntouched() {
    CompletableFuture<DnsAnswer<String>> shared = new CompletableFuture<>();
    DnsResolver never =
        new DnsResolver() {
          @Override
          @SuppressWarnings("unchecked")
          public <T> CompletionStage<DnsAnswer<T>> lookup(String name, RecordType<T> type) {
            return (CompletionStage<DnsAnswer<T>>) (CompletionStage<?>) shared;
          }
        };
    DeadlineResolver r = new DeadlineResolver(never, Duration.ofMillis(50));
    assertThat(r.txt("slow.test").toCompletableFuture().join())
        .isInstanceOf(DnsAnswer.TempFailure.class);
    assertThat(shared).isNotDone();
  }
}

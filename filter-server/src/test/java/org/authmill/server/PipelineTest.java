package org.authmill.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.authmill.dns.ZoneResolver;
import org.authmill.milter.Decision;
import org.authmill.milter.HeaderChange;
import org.authmill.milter.Macros;
import org.authmill.milter.MailEvent;
import org.authmill.milter.MailFilter;
import org.authmill.server.signing.SigningKeys;
import org.junit.jupiter.api.Test;

class PipelineTest {
  @Test
  void factory_removesForgedResultsOfTheConfiguredAuthservId() {
    FilterConfig config = FilterConfig.defaults().withAuthservId("mx.example.org");
    PipelineContext ctx =
        new PipelineContext(
            config,
            ZoneResolver.fromText(""),
            SigningKeys.none(),
            new SimpleMeterRegistry(),
            new ConfigMeters(),
            Runnable::run);
    MailFilter filter = Pipeline.factory(ctx).create();
    filter.header("Authentication-Results", " mx.example.org; spf=pass");
    filter.header("Authentication-Results", " other.example; spf=pass");
    Decision d = filter.endOfMessage(Macros.NONE).toCompletableFuture().join();
    assertThat(d.changes()).containsExactly(new HeaderChange.Delete("Authentication-Results", 1));
    assertThat(Pipeline.factories(ctx)).hasSize(2);
    assertThat(List.copyOf(Pipeline.factory(ctx).events())).contains(MailEvent.HEADER);
  }
}

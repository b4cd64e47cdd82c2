package org.authmill.server;

import java.util.ArrayList;
import java.util.List;
import org.authmill.milter.FilterChain;
import org.authmill.milter.MailFilterFactory;
import org.authmill.server.auth.AuthFilterFactory;

/**
 * The filters {@code authmill serve} runs, in order, built from a {@link PipelineContext}: this is
 * the one place where filters are put together. First the RFC 8601 §5 removal of
 * Authentication-Results fields that claim our authserv-id ({@link ForgedResultsFilter}), then the
 * authentication itself ({@link org.authmill.server.auth.AuthFilter}): inbound SPF, DKIM and DMARC
 * with one Authentication-Results field inserted at the top and the configured DMARC and SPF
 * actions; outbound DKIM signing with {@link PipelineContext#signingKeys()}.
 */
public final class Pipeline {
  private Pipeline() {}

  /** The filter chain for a configuration. */
  public static MailFilterFactory factory(PipelineContext context) {
    return new FilterChain(factories(context));
  }

  /** The filters, in the order they run. */
  static List<MailFilterFactory> factories(PipelineContext context) {
    List<MailFilterFactory> filters = new ArrayList<>();
    // 1. Forged Authentication-Results (RFC 8601 §5): always first, so that nothing later reads
    //    a result we did not write.
    filters.add(ForgedResultsFilter.factory(context.config().authservId()));
    // 2. AuthStream: inbound SPF, DKIM, DMARC and one Authentication-Results field with the
    //    configured actions; outbound DKIM signing.
    filters.add(AuthFilterFactory.filter(context));
    return filters;
  }
}

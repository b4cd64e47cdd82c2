package org.authmill.server;

import java.util.ArrayList;
import java.util.List;

/**
 * The filters {@code authmill serve} runs, in order, built from a {@link PipelineContext}: this is
 * the one place where filters are put together.
 *
 * <p>Today: RFC 8601 §5 removal of Authentication-Results fields that claim our authserv-id ({@link
 * ForgedResultsFilter}). The authentication pipeline (inbound SPF, DKIM and DMARC with one
 * Authentication-Results field inserted at the top, the configured DMARC and SPF actions; outbound
 * DKIM signing with {@link PipelineContext#signingKeys()}) plugs in after it, as one more {@link
 * MailFilterFactory} in {@link #factories}.
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
    // 2. The authentication pipeline goes here (SPF, DKIM, DMARC, Authentication-Results,
    //    outbound signing), e.g.:
    //    filters.add(AuthenticationFilter.factory(context));
    return filters;
  }
}

package org.authmill.dmarc;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds the text of a DMARC Policy Record (RFC 9989 §4.7) from settings, writing only the tags
 * that were set, in the order {@code v, p, sp, np, adkim, aspf, t, psd, fo, rua, ruf}. Every value
 * is checked as it is set; {@link #build()} parses the text back and fails if anything was lost.
 *
 * <pre>{@code
 * String txt = new DmarcRecordBuilder()
 *     .policy(DmarcPolicy.REJECT)
 *     .aggregateReport("mailto:dmarc@example.com")
 *     .text(); // v=DMARC1; p=reject; rua=mailto:dmarc@example.com
 * }</pre>
 */
public final class DmarcRecordBuilder {
  private DmarcPolicy policy;
  private DmarcPolicy subdomainPolicy;
  private DmarcPolicy nonExistentPolicy;
  private AlignmentMode dkimAlignment;
  private AlignmentMode spfAlignment;
  private Boolean testing;
  private PsdFlag psd;
  private String failureOptions;
  private final List<ReportUri> aggregate = new ArrayList<>();
  private final List<ReportUri> failure = new ArrayList<>();

  /** The {@code p} tag (required). */
  public DmarcRecordBuilder policy(DmarcPolicy value) {
    this.policy = Objects.requireNonNull(value, "policy");
    return this;
  }

  /** The {@code sp} tag. */
  public DmarcRecordBuilder subdomainPolicy(DmarcPolicy value) {
    this.subdomainPolicy = Objects.requireNonNull(value, "subdomainPolicy");
    return this;
  }

  /** The {@code np} tag. */
  public DmarcRecordBuilder nonExistentPolicy(DmarcPolicy value) {
    this.nonExistentPolicy = Objects.requireNonNull(value, "nonExistentPolicy");
    return this;
  }

  /** The {@code adkim} tag. */
  public DmarcRecordBuilder dkimAlignment(AlignmentMode value) {
    this.dkimAlignment = Objects.requireNonNull(value, "dkimAlignment");
    return this;
  }

  /** The {@code aspf} tag. */
  public DmarcRecordBuilder spfAlignment(AlignmentMode value) {
    this.spfAlignment = Objects.requireNonNull(value, "spfAlignment");
    return this;
  }

  /** The {@code t} tag: true for {@code t=y}, false for {@code t=n}. */
  public DmarcRecordBuilder testing(boolean value) {
    this.testing = value;
    return this;
  }

  /** The {@code psd} tag. */
  public DmarcRecordBuilder psd(PsdFlag value) {
    this.psd = Objects.requireNonNull(value, "psd");
    return this;
  }

  /**
   * The {@code fo} tag, such as {@code 1:d:s}.
   *
   * @throws IllegalArgumentException if the value is not valid RFC 9989 §4.8 {@code dmarc-fo}
   */
  public DmarcRecordBuilder failureOptions(String value) {
    DmarcRecord probe = DmarcRecord.parse("v=DMARC1; p=none; fo=" + value).value().orElseThrow();
    if (value.isEmpty() || probe.hasInvalid("fo") || value.contains(";")) {
      throw new IllegalArgumentException(
          "fo="
              + value
              + " is not valid: give 0 or 1, d and s, colon-separated, each at most once");
    }
    this.failureOptions = value;
    return this;
  }

  /**
   * Adds an aggregate report URI to {@code rua}.
   *
   * @throws IllegalArgumentException if it is not an absolute URI (a {@code mailto:} one needs an
   *     address with a domain)
   */
  public DmarcRecordBuilder aggregateReport(String uri) {
    aggregate.add(uri(uri, "rua"));
    return this;
  }

  /** Adds a failure report URI to {@code ruf}, checked as {@link #aggregateReport} does. */
  public DmarcRecordBuilder failureReport(String uri) {
    failure.add(uri(uri, "ruf"));
    return this;
  }

  private static ReportUri uri(String text, String tag) {
    return ReportUri.parse(text)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    tag
                        + " "
                        + text
                        + " is not a reporting URI (such as mailto:dmarc@example.com; commas and"
                        + " ! must be percent-encoded)"));
  }

  /**
   * The record text.
   *
   * @throws IllegalStateException if no policy was set
   */
  public String text() {
    if (policy == null) {
      throw new IllegalStateException("a DMARC record needs a policy (p)");
    }
    List<String> tags = new ArrayList<>();
    tags.add("v=DMARC1");
    tags.add("p=" + policy.keyword());
    if (subdomainPolicy != null) {
      tags.add("sp=" + subdomainPolicy.keyword());
    }
    if (nonExistentPolicy != null) {
      tags.add("np=" + nonExistentPolicy.keyword());
    }
    if (dkimAlignment != null) {
      tags.add("adkim=" + dkimAlignment.tagValue());
    }
    if (spfAlignment != null) {
      tags.add("aspf=" + spfAlignment.tagValue());
    }
    if (testing != null) {
      tags.add("t=" + (testing ? "y" : "n"));
    }
    if (psd != null) {
      tags.add("psd=" + psd.tagValue());
    }
    if (failureOptions != null) {
      tags.add("fo=" + failureOptions);
    }
    if (!aggregate.isEmpty()) {
      tags.add("rua=" + String.join(",", aggregate.stream().map(ReportUri::toString).toList()));
    }
    if (!failure.isEmpty()) {
      tags.add("ruf=" + String.join(",", failure.stream().map(ReportUri::toString).toList()));
    }
    return String.join("; ", tags);
  }

  /** The record, parsed back from {@link #text()}. */
  public DmarcRecord build() {
    DmarcRecord record = DmarcRecord.parse(text()).value().orElseThrow();
    if (!record.problems().isEmpty()) {
      throw new IllegalStateException("built an invalid record: " + record.problems());
    }
    return record;
  }
}

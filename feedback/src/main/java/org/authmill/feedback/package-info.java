/**
 * The DMARC reports a domain owner receives: aggregate reports (RFC 9990, and RFC 7489 Appendix C)
 * and failure reports (RFC 9991, RFC 6591 in the ARF format of RFC 5965), parsed safely and
 * tolerantly from XML, gzip, zip and mail, imported into the store once each, summarized per
 * sending source, and shown on a read-only dashboard.
 *
 * <p>Entry points: {@link org.authmill.feedback.AggregateReportParser} (streaming, one record at a
 * time), {@link org.authmill.feedback.FailureReportParser}, {@link
 * org.authmill.feedback.ReportPayloads} (bounded gzip/zip decompression), {@link
 * org.authmill.feedback.FeedbackImporter} (files, directories, Maildir, mbox).
 */
package org.authmill.feedback;

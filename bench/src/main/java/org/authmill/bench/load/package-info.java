/**
 * Phase 2 of the benchmarks (issue 7): the milter load generator ({@link
 * org.authmill.bench.load.MilterLoad}) and the steps of {@code bench/run} that drive {@code
 * authmill serve}, OpenDKIM and Postfix as separate processes and write {@code name=value} lines.
 */
package org.authmill.bench.load;

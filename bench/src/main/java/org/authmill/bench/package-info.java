/** JMH benchmarks and the milter load generator; not published. */
package org.authmill.bench;

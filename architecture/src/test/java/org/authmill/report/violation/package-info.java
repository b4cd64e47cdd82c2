/**
 * A fixture for the architecture tests: classes in the report module's package tree that break a
 * module rule on purpose. Test sources only; never part of the report module.
 */
package org.authmill.report.violation;

/**
 * A fixture for the architecture tests: classes in the spf module's package tree that break a
 * module rule on purpose. Test sources only; never part of the spf module.
 */
package org.authmill.spf.violation;

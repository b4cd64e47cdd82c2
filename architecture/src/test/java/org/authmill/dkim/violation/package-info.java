/**
 * A fixture for the architecture tests: classes in the dkim module's package tree that break a
 * module rule on purpose. Test sources only; never part of the dkim module.
 */
package org.authmill.dkim.violation;

/**
 * A fixture for the architecture tests: classes in the auth module's package tree that break a
 * module rule on purpose. Test sources only; never part of the auth module.
 */
package org.authmill.auth.violation;

/**
 * A fixture for the architecture tests: classes in the server module's package tree that break a
 * module rule on purpose. Test sources only; never part of the server module.
 */
package org.authmill.server.violation;

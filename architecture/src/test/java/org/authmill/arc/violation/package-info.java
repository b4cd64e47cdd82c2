/**
 * A fixture for the architecture tests: classes in the arc module's package tree that break a
 * module rule on purpose. Test sources only; never part of the arc module.
 */
package org.authmill.arc.violation;

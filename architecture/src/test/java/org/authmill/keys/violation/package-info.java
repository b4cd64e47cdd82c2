/**
 * A fixture for the architecture tests: classes in the keys module's package tree that break a
 * module rule on purpose. Test sources only; never part of the keys module.
 */
package org.authmill.keys.violation;
